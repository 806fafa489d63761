import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { HttpError } from '../../errors.js';
import { defaultLimits, type RequestLimits } from '../limits.js';
import type { RequestSource } from '../source.js';
import { parseForm } from './index.js';

const boundary = '----CarafeBoundary7MA4YWxk';

interface Part {
  disposition: string;
  contentType?: string;
  content: string | Buffer;
}

function field(name: string, value: string | Buffer): Part {
  return { disposition: `form-data; name="${name}"`, content: value };
}

function file(
  name: string,
  filename: string,
  content: string | Buffer,
  contentType = 'text/plain',
): Part {
  return { disposition: `form-data; name="${name}"; filename="${filename}"`, contentType, content };
}

function encode(parts: Part[], close = true): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: ${part.disposition}\r\n`;
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    pieces.push(Buffer.from(`${head}\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  if (close) pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

/** A source whose body arrives in `chunkSize` pieces and which records how much was pulled. */
function multipartSource(body: Buffer, options: { chunkSize?: number; contentType?: string } = {}) {
  const progress = { pulledBytes: 0, closed: false };
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? `multipart/form-data; boundary=${boundary}`,
  };
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const source: RequestSource = {
    method: 'POST',
    url: '/upload',
    header: (name) => headers[name],
    headers: () => ({ ...headers }),
    body: () =>
      (async function* () {
        try {
          for (let at = 0; at < body.length; at += chunkSize) {
            const chunk = body.subarray(at, at + chunkSize);
            progress.pulledBytes += chunk.length;
            yield chunk;
          }
        } finally {
          progress.closed = true;
        }
      })(),
    remoteAddress: '127.0.0.1',
    encrypted: false,
  };
  return { source, progress };
}

function parse(body: Buffer, limits: Partial<RequestLimits> = {}, chunkSize?: number) {
  return parseForm(multipartSource(body, { chunkSize }).source, { ...defaultLimits, ...limits });
}

function expectHttpError(status: number, code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  };
}

describe('parseForm: multipart/form-data', () => {
  it('parses text fields and two files, one in memory and one on disk; cleanup removes the temp file', async () => {
    const large = Buffer.alloc(300_000, 0x62);
    const body = encode([
      field('title', 'Quarterly report'),
      field('tag', 'a'),
      field('tag', 'né'),
      file('notes', 'notes.txt', 'short notes'),
      file('data', 'data.bin', large, 'application/octet-stream'),
    ]);
    const form = await parse(body, { fileMemoryThreshold: 100_000 }, 8192);
    try {
      assert.equal(form.get('title'), 'Quarterly report');
      assert.deepEqual(form.getAll('tag'), ['a', 'né']);
      assert.deepEqual([...form.keys()], ['title', 'tag', 'tag']);

      const notes = form.file('notes');
      assert.ok(notes);
      assert.equal(notes.filename, 'notes.txt');
      assert.equal(notes.contentType, 'text/plain');
      assert.equal(notes.size, 11);
      assert.equal(notes.path, undefined);
      assert.equal(await notes.text(), 'short notes');

      const data = form.file('data');
      assert.ok(data?.path);
      assert.equal(data.size, large.length);
      assert.ok(data.path.startsWith(tmpdir()));
      assert.deepEqual(await readFile(data.path), large);
      assert.deepEqual(await data.bytes(), large);
      let streamed = 0;
      for await (const chunk of data.stream()) streamed += chunk.length;
      assert.equal(streamed, large.length);
      assert.equal(form.has('data'), true);

      await form.cleanup();
      assert.equal(existsSync(data.path), false);
      assert.equal(existsSync(dirname(data.path)), false);
    } finally {
      await form.cleanup();
    }
  });

  it('gives the same result however the body is chunked', async () => {
    const body = encode([
      field('a', 'line one\r\nline two\r\n--not-the-boundary'),
      file('f', 'x.bin', Buffer.from([13, 10, 45, 45, 13, 13, 10, 0, 255])),
      field('b', ''),
    ]);
    for (const chunkSize of [1, 2, 3, 7, 16, 31, body.length]) {
      const form = await parse(body, {}, chunkSize);
      assert.equal(
        form.get('a'),
        'line one\r\nline two\r\n--not-the-boundary',
        `chunk ${chunkSize}`,
      );
      assert.equal(form.get('b'), '');
      assert.deepEqual(
        await form.file('f')?.bytes(),
        Buffer.from([13, 10, 45, 45, 13, 13, 10, 0, 255]),
      );
    }
  });

  it('ignores a preamble and an epilogue, and accepts a quoted boundary', async () => {
    const body = Buffer.concat([
      Buffer.from('This is the preamble.\r\n'),
      encode([field('a', '1')]),
      Buffer.from('epilogue text'),
    ]);
    const { source } = multipartSource(body, {
      contentType: `multipart/form-data; boundary="${boundary}"`,
    });
    assert.equal((await parseForm(source, defaultLimits)).get('a'), '1');
  });

  it('skips file inputs left empty (filename="")', async () => {
    const form = await parse(encode([file('avatar', '', ''), field('a', '1')]));
    assert.equal(form.file('avatar'), null);
    assert.equal(form.get('a'), '1');
  });

  it('reads RFC 8187 filename* and the HTML escapes in names', async () => {
    const form = await parse(
      encode([
        {
          disposition: `form-data; name="doc"; filename="fallback.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`,
          content: 'x',
        },
        { disposition: 'form-data; name="say %22hi%22"; filename="a%22b.txt"', content: 'y' },
      ]),
    );
    assert.equal(form.file('doc')?.filename, 'résumé.txt');
    assert.equal(form.file('say "hi"')?.filename, 'a"b.txt');
    assert.equal(form.file('doc')?.contentType, 'application/octet-stream');
  });

  it('reduces hostile filenames to safe base names', async () => {
    const hostile: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\\\..\\\\windows\\\\system32\\\\evil.dll', 'evil.dll'],
      // Browsers send backslashes unescaped inside the quotes.
      ['C:\\Users\\me\\cv.pdf', 'cv.pdf'],
      ['/absolute/path/shell.php', 'shell.php'],
      ['..', 'upload'],
      ['../', 'upload'],
      ['.htaccess', 'htaccess'],
      ['bad%0Aname%0D.txt', 'badname.txt'],
      ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ];
    const parts = hostile.map(([name], index) => file(`f${index}`, name, 'x'));
    parts.push({ disposition: 'form-data; name="nul"; filename="a\u0000b.txt"', content: 'x' });
    const form = await parse(encode(parts));
    for (const [index, [raw, safe]] of hostile.entries()) {
      assert.equal(form.file(`f${index}`)?.filename, safe, raw);
    }
    assert.equal(form.file('nul')?.filename, 'ab.txt');
  });

  it('moves a disk upload with saveTo and writes a memory upload', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'carafe-save-test-'));
    try {
      const form = await parse(
        encode([file('big', 'big.txt', 'B'.repeat(5000)), file('small', 'small.txt', 'tiny')]),
        { fileMemoryThreshold: 1000 },
      );
      const big = form.file('big');
      const small = form.file('small');
      assert.ok(big?.path && small);
      const temporary = big.path;
      await big.saveTo(join(directory, 'big.txt'));
      await small.saveTo(join(directory, 'small.txt'));
      assert.equal(existsSync(temporary), false);
      assert.equal(big.path, join(directory, 'big.txt'));
      assert.equal(await readFile(join(directory, 'big.txt'), 'utf8'), 'B'.repeat(5000));
      assert.equal(await readFile(join(directory, 'small.txt'), 'utf8'), 'tiny');
      await form.cleanup();
      assert.equal(existsSync(join(directory, 'big.txt')), true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('answers 413 above limits.uploadSize without reading the whole body', async () => {
    const body = encode([file('f', 'huge.bin', Buffer.alloc(2_000_000))]);
    const { source, progress } = multipartSource(body, { chunkSize: 16 * 1024 });
    await assert.rejects(
      parseForm(source, { ...defaultLimits, uploadSize: 100_000, fileMemoryThreshold: 10_000 }),
      expectHttpError(413, 'CARAFE_BODY_TOO_LARGE', /limits\.uploadSize/),
    );
    assert.ok(progress.pulledBytes <= 100_000 + 16 * 1024, `pulled ${progress.pulledBytes} bytes`);
    assert.equal(progress.closed, true);
  });

  it('removes temporary files when parsing fails after one was written', async () => {
    // os.tmpdir() follows TMPDIR, so this test's uploads land in a directory of its own.
    const previous = process.env.TMPDIR;
    const isolated = await mkdtemp(join(tmpdir(), 'carafe-tmpdir-test-'));
    process.env.TMPDIR = isolated;
    try {
      const body = encode([
        file('f', 'big.bin', Buffer.alloc(50_000)),
        field('a', '1'),
        field('b', '2'),
      ]);
      const { source, progress } = multipartSource(body, { chunkSize: 4096 });
      await assert.rejects(
        parseForm(source, { ...defaultLimits, fileMemoryThreshold: 1000, formFields: 1 }),
        expectHttpError(400, 'CARAFE_TOO_MANY_FIELDS'),
      );
      assert.ok(progress.pulledBytes > 1000, 'the file was large enough to reach the disk');
      assert.deepEqual(await readdir(isolated), []);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(isolated, { recursive: true, force: true });
    }
  });

  it('answers 400 CARAFE_TOO_MANY_FIELDS above limits.formFields', async () => {
    const body = encode([field('a', '1'), field('b', '2'), field('c', '3')]);
    assert.equal((await parse(body, { formFields: 3 })).get('c'), '3');
    await assert.rejects(
      parse(body, { formFields: 2 }),
      expectHttpError(400, 'CARAFE_TOO_MANY_FIELDS'),
    );
  });

  it('answers 400 CARAFE_TOO_MANY_FILES above limits.files', async () => {
    const body = encode([
      file('a', 'a.txt', '1'),
      file('b', 'b.txt', '2'),
      file('c', 'c.txt', '3'),
    ]);
    assert.equal((await parse(body, { files: 3 })).files('c').length, 1);
    await assert.rejects(
      parse(body, { files: 2 }),
      expectHttpError(400, 'CARAFE_TOO_MANY_FILES', /more than 2 files.*limits\.files/),
    );
  });

  it('answers 413 for a text field larger than limits.bodySize', async () => {
    await assert.rejects(
      parse(encode([field('essay', 'x'.repeat(2000))]), { bodySize: 1000 }),
      expectHttpError(413, 'CARAFE_BODY_TOO_LARGE', /"essay".*limits\.bodySize/),
    );
  });

  it('answers 400 for a missing or invalid boundary', async () => {
    for (const contentType of [
      'multipart/form-data',
      'multipart/form-data; boundary=',
      `multipart/form-data; boundary=${'x'.repeat(71)}`,
      'multipart/form-data; boundary="ends with space "',
      'multipart/form-data; boundary=a{b}',
    ]) {
      const { source } = multipartSource(encode([field('a', '1')]), { contentType });
      await assert.rejects(
        parseForm(source, defaultLimits),
        expectHttpError(400, 'CARAFE_MALFORMED_MULTIPART', /boundary/),
        contentType,
      );
    }
  });

  it('answers 400 for a body that does not use the declared boundary', async () => {
    const { source } = multipartSource(encode([field('a', '1')]), {
      contentType: 'multipart/form-data; boundary=other',
    });
    await assert.rejects(
      parseForm(source, defaultLimits),
      expectHttpError(400, 'CARAFE_MALFORMED_MULTIPART', /"other"/),
    );
  });

  it('answers 400 for a truncated body', async () => {
    const whole = encode([field('a', '1'), file('f', 'f.txt', 'content')]);
    for (const cut of [whole.length - 4, whole.length - 20, 30]) {
      await assert.rejects(
        parse(whole.subarray(0, cut)),
        expectHttpError(400, 'CARAFE_MALFORMED_MULTIPART', /ended before the closing boundary/),
        String(cut),
      );
    }
    await assert.rejects(
      parse(encode([field('a', '1')], false)),
      expectHttpError(400, 'CARAFE_MALFORMED_MULTIPART'),
    );
  });

  it('answers 400 for malformed parts', async () => {
    const cases: [Buffer, RegExp][] = [
      [
        Buffer.from(`--${boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${boundary}--`),
        /no Content-Disposition/,
      ],
      [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--${boundary}--`,
        ),
        /"attachment"/,
      ],
      [
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${boundary}--`),
        /no name/,
      ],
      [Buffer.from(`--${boundary}\r\nnot a header\r\n\r\nx\r\n--${boundary}--`), /has no name/],
      [Buffer.from(`--${boundary}garbage\r\n\r\nx\r\n--${boundary}--`), /boundary is followed/],
      [
        Buffer.from(`--${boundary}\r\nX-Long: ${'h'.repeat(20_000)}\r\n\r\nx\r\n--${boundary}--`),
        /headers are longer/,
      ],
    ];
    for (const [body, message] of cases) {
      await assert.rejects(
        parse(body),
        expectHttpError(400, 'CARAFE_MALFORMED_MULTIPART', message),
        String(message),
      );
    }
  });

  it('answers 400 for field names or values that are not UTF-8', async () => {
    await assert.rejects(
      parse(encode([field('a', Buffer.from([0x66, 0xff]))])),
      expectHttpError(400, 'CARAFE_INVALID_UTF8', /"a"/),
    );
    const badName = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`"\r\n\r\nx\r\n--${boundary}--\r\n`),
    ]);
    await assert.rejects(parse(badName), expectHttpError(400, 'CARAFE_INVALID_UTF8'));
  });
});
