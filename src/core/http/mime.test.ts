import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMimeType, mimeType } from './mime.js';

describe('mimeType', () => {
  it('maps common web extensions, with a charset for text types', () => {
    assert.equal(mimeType('index.html'), 'text/html; charset=utf-8');
    assert.equal(mimeType('site.css'), 'text/css; charset=utf-8');
    assert.equal(mimeType('app.mjs'), 'text/javascript; charset=utf-8');
    assert.equal(mimeType('data.json'), 'application/json; charset=utf-8');
    assert.equal(mimeType('logo.svg'), 'image/svg+xml; charset=utf-8');
    assert.equal(mimeType('photo.jpeg'), 'image/jpeg');
    assert.equal(mimeType('font.woff2'), 'font/woff2');
    assert.equal(mimeType('module.wasm'), 'application/wasm');
    assert.equal(mimeType('notes.yaml'), 'application/yaml; charset=utf-8');
  });

  it('ignores case and directories', () => {
    assert.equal(mimeType('/srv/static/IMG.PNG'), 'image/png');
    assert.equal(mimeType('C:\\assets\\clip.MP4'), 'video/mp4');
  });

  it('falls back to application/octet-stream', () => {
    assert.equal(defaultMimeType, 'application/octet-stream');
    assert.equal(mimeType('archive.unknownext'), defaultMimeType);
    assert.equal(mimeType('Makefile'), defaultMimeType);
    assert.equal(mimeType('dir.css/file'), defaultMimeType);
    // A dotfile has no extension; Object.prototype names are not extensions either.
    assert.equal(mimeType('.css'), defaultMimeType);
    assert.equal(mimeType('x.constructor'), defaultMimeType);
    assert.equal(mimeType('x.__proto__'), defaultMimeType);
  });
});
