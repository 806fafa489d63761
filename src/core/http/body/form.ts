// Picks the form parser from the Content-Type.
import type { RequestLimits } from '../limits.js';
import type { RequestSource } from '../source.js';
import { unsupportedMediaType } from './errors.js';
import { ParsedForm } from './form-body.js';
import { parseHeaderParams } from './media-type.js';
import { parseMultipart } from './multipart.js';
import { readBody } from './read.js';
import type { FormBody } from './types.js';
import { parseUrlEncoded } from './urlencoded.js';

const formTypes = 'application/x-www-form-urlencoded or multipart/form-data';

/**
 * An urlencoded or multipart form. A request with neither a Content-Type nor a body is an
 * empty form (a bare POST); any other content type is a 415.
 */
export async function parseForm(source: RequestSource, limits: RequestLimits): Promise<FormBody> {
  const header = source.header('content-type');
  if (header === undefined) {
    const body = await readBody(source, limits.bodySize);
    if (body.length === 0) return new ParsedForm();
    throw unsupportedMediaType(
      `The request has a body but no Content-Type; expected ${formTypes}.`,
    );
  }
  const { type, params } = parseHeaderParams(header);
  if (type === 'application/x-www-form-urlencoded') {
    const charset = params.get('charset')?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw unsupportedMediaType(`Form bodies must be UTF-8, got charset "${charset}".`);
    }
    return parseUrlEncoded(await readBody(source, limits.bodySize), limits.formFields);
  }
  if (type === 'multipart/form-data') return parseMultipart(source, params.get('boundary'), limits);
  throw unsupportedMediaType(`Expected a form (${formTypes}), got "${type}".`);
}
