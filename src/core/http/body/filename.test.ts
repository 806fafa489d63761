import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeFilename } from './filename.js';

describe('safeFilename', () => {
  it('keeps ordinary names, Unicode included', () => {
    assert.equal(safeFilename('report 2024.pdf'), 'report 2024.pdf');
    assert.equal(safeFilename('résumé.docx'), 'résumé.docx');
    assert.equal(safeFilename('archive.tar.gz'), 'archive.tar.gz');
  });

  it('strips directories written with either slash', () => {
    assert.equal(safeFilename('../../../etc/passwd'), 'passwd');
    assert.equal(safeFilename('..\\..\\boot.ini'), 'boot.ini');
    assert.equal(safeFilename('C:\\Users\\me/mixed\\final.txt'), 'final.txt');
  });

  it('removes NUL, control characters and bidirectional overrides', () => {
    assert.equal(safeFilename('shell.php\u0000.jpg'), 'shell.php.jpg');
    assert.equal(safeFilename('a\r\nb\tc\u007f\u0085.txt'), 'abc.txt');
    assert.equal(safeFilename('photo\u202Egnp.exe'), 'photognp.exe');
  });

  it('drops leading dots and falls back to "upload" when nothing is left', () => {
    assert.equal(safeFilename('.bashrc'), 'bashrc');
    assert.equal(safeFilename('...hidden.txt'), 'hidden.txt');
    for (const empty of ['', '.', '..', '../', 'dir/', '\u0000', '   ', '. .']) {
      assert.equal(safeFilename(empty), 'upload', JSON.stringify(empty));
    }
  });

  it('fits long names into 255 bytes, keeping the extension', () => {
    const long = safeFilename(`${'é'.repeat(300)}.pdf`);
    assert.ok(Buffer.byteLength(long) <= 255);
    assert.ok(long.endsWith('.pdf'));
    assert.ok(long.startsWith('éé'));
  });
});
