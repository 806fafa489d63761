// What a multipart part's headers say: its field name, and a file name when it is an upload.
import { malformedMultipart } from './errors.js';
import { parseHeaderParams } from './media-type.js';

export interface PartInfo {
  name: string;
  /** The raw client file name (not yet made safe); undefined for a text field. */
  filename: string | undefined;
  contentType: string | undefined;
}

export function describePart(headers: Map<string, string>): PartInfo {
  const disposition = headers.get('content-disposition');
  if (disposition === undefined)
    throw malformedMultipart('a part has no Content-Disposition header');
  const { type, params } = parseHeaderParams(disposition);
  if (type !== 'form-data') {
    throw malformedMultipart(`a part's Content-Disposition is "${type}", expected "form-data"`);
  }
  const name = params.get('name');
  if (name === undefined) throw malformedMultipart('a part has no name in its Content-Disposition');
  const extended = params.get('filename*');
  const plain = params.get('filename');
  const filename = (extended === undefined ? undefined : decodeExtendedValue(extended)) ?? plain;
  return {
    name: unescapeHtmlFormName(name),
    filename: filename === undefined ? undefined : unescapeHtmlFormName(filename),
    contentType: headers.get('content-type'),
  };
}

/** The HTML form encoder writes `"`, CR and LF in names as `%22`, `%0D`, `%0A`, and only those. */
function unescapeHtmlFormName(value: string): string {
  if (!value.includes('%')) return value;
  return value.replace(/%(22|0d|0a)/gi, (_match, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** RFC 8187 `UTF-8''na%C3%AFve.txt`; undefined when it cannot be read, so `filename` applies. */
function decodeExtendedValue(value: string): string | undefined {
  const match = /^utf-8'[^']*'(.*)$/i.exec(value);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
