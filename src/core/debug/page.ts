// The debug-mode error page: what was thrown, where (with source), and the request that did it.
import { relative, sep } from 'node:path';
import { causeChain, describeError } from './describe.js';
import { escapeHtml } from '../html.js';
import { isSecretName, maskedValue, maskUrl } from './mask.js';
import { parseStack, SourceReader, type StackFrame } from './stack.js';
import { debugPageStyles } from './styles.js';

export interface DebugPageRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  form?: Record<string, string> | undefined;
  cookies?: Record<string, string> | undefined;
}

export interface DebugPageInput {
  error: unknown;
  request: DebugPageRequest;
  routeName?: string | undefined;
  requestId: string;
}

type Row = readonly [name: string, value: string];

/** A self-contained HTML page for a failed request in debug mode. Never serve it in production. */
export async function renderDebugPage(input: DebugPageInput): Promise<string> {
  const sources = new SourceReader();
  const [error, ...causes] = causeChain(input.error).map(describeError);
  const main = error!;
  const { request } = input;
  const kind = main.code === undefined ? main.type : `${main.type} · ${main.code}`;
  const where = [
    `${request.method} ${maskUrl(request.url)}`,
    input.routeName === undefined ? 'no route matched' : `route ${input.routeName}`,
    `request ${input.requestId}`,
  ];
  const mainFrames = parseStack(main.stack);
  const causeSections = await Promise.all(
    causes.map(
      async (cause) => `<div class="cause">
<h3>${escapeHtml(cause.code === undefined ? cause.type : `${cause.type} · ${cause.code}`)}</h3>
<p class="message">${escapeHtml(cause.message)}</p>
${await renderTraceback(withoutSharedCallers(parseStack(cause.stack), mainFrames), sources)}
</div>`,
    ),
  );
  const title = `${main.type}: ${main.message.split('\n')[0]!.slice(0, 120)}`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${debugPageStyles}</style>
</head>
<body>
<header>
<p class="kind">${escapeHtml(kind)}</p>
<h1>${escapeHtml(main.message)}</h1>
<p class="where">${where.map((part) => `<span>${escapeHtml(part)}</span>`).join('')}</p>
</header>
<main>
<h2>Traceback</h2>
${await renderTraceback({ frames: mainFrames, shared: 0 }, sources)}
${causeSections.length > 0 ? `<h2>Caused by</h2>\n${causeSections.join('\n')}` : ''}
<h2>Request</h2>
${renderRequest(input)}
<h2>Environment</h2>
${table(false, [
  ['Node.js', process.version],
  ['Platform', `${process.platform} ${process.arch}`],
  ['Process id', String(process.pid)],
  ['Working directory', process.cwd()],
  ['Time', new Date().toISOString()],
])}
</main>
<footer>You see this page because <code>debug</code> is on. Visitors of a production site (debug off) get a plain error page.</footer>
</body>
</html>
`;
}

interface Traceback {
  frames: StackFrame[];
  /** Callers left out because the error above lists them already. */
  shared: number;
}

// A cause was thrown further down the same call chain: its outermost callers repeat the
// outer error's, so they are counted rather than shown twice.
function withoutSharedCallers(frames: StackFrame[], outer: StackFrame[]): Traceback {
  let shared = 0;
  while (
    shared < frames.length &&
    shared < outer.length &&
    frames[frames.length - 1 - shared]!.raw === outer[outer.length - 1 - shared]!.raw
  ) {
    shared++;
  }
  return { frames: frames.slice(0, frames.length - shared), shared };
}

async function renderTraceback(
  { frames, shared }: Traceback,
  sources: SourceReader,
): Promise<string> {
  if (frames.length === 0 && shared === 0) return '<p class="empty">No stack trace.</p>';
  const parts: string[] = [];
  let library: StackFrame[] = [];
  const flushLibrary = () => {
    if (library.length === 0) return;
    const noun = library.length === 1 ? 'frame' : 'frames';
    const items = library.map((frame) => `<li class="mono">${escapeHtml(frame.raw)}</li>`).join('');
    parts.push(
      `<details class="library"><summary>${library.length} ${noun} in libraries or Node.js internals</summary><ul>${items}</ul></details>`,
    );
    library = [];
  };
  for (const frame of frames) {
    if (!frame.isProject) {
      library.push(frame);
      continue;
    }
    flushLibrary();
    parts.push(await renderFrame(frame, sources));
  }
  flushLibrary();
  if (shared > 0) {
    parts.push(
      `<p class="empty">… and ${shared} ${shared === 1 ? 'caller' : 'callers'} shown above.</p>`,
    );
  }
  return parts.join('\n');
}

async function renderFrame(frame: StackFrame, sources: SourceReader): Promise<string> {
  const lines = await sources.around(frame.file!, frame.line!);
  const code = lines
    .map(
      (line) =>
        `<span class="line${line.current ? ' current' : ''}"><span class="ln">${line.number}</span>${escapeHtml(line.text)}</span>`,
    )
    .join('');
  return `<div class="frame">
<div class="frame-head"><span class="fn mono">${escapeHtml(frame.functionName ?? '(top level)')}</span><span class="loc mono">${escapeHtml(`${displayPath(frame.file!)}:${frame.line}:${frame.column}`)}</span></div>
${code === '' ? '<p class="empty">Source not available.</p>' : `<pre class="source"><code>${code}</code></pre>`}
</div>`;
}

function renderRequest(input: DebugPageInput): string {
  const { request } = input;
  const general: Row[] = [
    ['Method', request.method],
    ['URL', maskUrl(request.url)],
    ['Route', input.routeName ?? '(none)'],
    ['Request id', input.requestId],
  ];
  // Every header whose name looks secret is masked; Cookie and Authorization match that rule.
  const headers = Object.entries(request.headers)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([name, value]): Row => [name, Array.isArray(value) ? value.join(', ') : value]);
  return [
    table(false, general),
    '<h3>Headers</h3>',
    table(true, headers),
    '<h3>Query</h3>',
    table(true, [...request.query]),
    '<h3>Form</h3>',
    table(true, Object.entries(request.form ?? {})),
    '<h3>Cookies</h3>',
    table(true, Object.entries(request.cookies ?? {})),
  ].join('\n');
}

function table(maskSecrets: boolean, rows: readonly Row[]): string {
  if (rows.length === 0) return '<p class="empty">None.</p>';
  const body = rows
    .map(([name, value]) => {
      const shown =
        maskSecrets && isSecretName(name)
          ? `<span class="masked">${maskedValue}</span>`
          : `<span class="mono">${escapeHtml(value)}</span>`;
      return `<tr><th>${escapeHtml(name)}</th><td>${shown}</td></tr>`;
    })
    .join('');
  return `<table>${body}</table>`;
}

function displayPath(file: string): string {
  const local = relative(process.cwd(), file);
  return local.startsWith(`..${sep}`) || local === '..' ? file : local;
}
