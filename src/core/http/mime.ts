// File extension → Content-Type for the files a web app serves. Deliberately small: an
// unknown extension gets `application/octet-stream`, which browsers download, never run.

export const defaultMimeType = 'application/octet-stream';

const utf8 = '; charset=utf-8';

// A Map, not an object literal, so `file.constructor` cannot hit Object.prototype.
const types = new Map<string, string>(
  Object.entries({
    html: `text/html${utf8}`,
    htm: `text/html${utf8}`,
    css: `text/css${utf8}`,
    js: `text/javascript${utf8}`,
    mjs: `text/javascript${utf8}`,
    json: `application/json${utf8}`,
    map: `application/json${utf8}`,
    webmanifest: `application/manifest+json${utf8}`,
    txt: `text/plain${utf8}`,
    csv: `text/csv${utf8}`,
    xml: `application/xml${utf8}`,
    svg: `image/svg+xml${utf8}`,
    md: `text/markdown${utf8}`,
    yaml: `application/yaml${utf8}`,
    yml: `application/yaml${utf8}`,
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    avif: 'image/avif',
    ico: 'image/vnd.microsoft.icon',
    woff: 'font/woff',
    woff2: 'font/woff2',
    ttf: 'font/ttf',
    otf: 'font/otf',
    pdf: 'application/pdf',
    zip: 'application/zip',
    gz: 'application/gzip',
    wasm: 'application/wasm',
    mp4: 'video/mp4',
    webm: 'video/webm',
    mp3: 'audio/mpeg',
    ogg: 'audio/ogg',
    wav: 'audio/wav',
  }),
);

/**
 * The Content-Type for a file name or path, by its extension (case-insensitive).
 * Text types carry `; charset=utf-8`.
 */
export function mimeType(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  if (dot === -1) return defaultMimeType;
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  // A leading dot names a dotfile (`.env`), not an extension.
  if (dot <= slash + 1) return defaultMimeType;
  return types.get(fileName.slice(dot + 1).toLowerCase()) ?? defaultMimeType;
}
