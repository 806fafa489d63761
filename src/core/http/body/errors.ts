// The HTTP errors a body can earn, with their stable codes, so every parser answers alike.
import { BadRequest, HttpError, PayloadTooLarge } from '../../errors.js';

export function unsupportedMediaType(message: string): HttpError {
  return new HttpError(415, message, { code: 'CARAFE_UNSUPPORTED_MEDIA_TYPE' });
}

export function invalidUtf8(what: string): BadRequest {
  return new BadRequest(`${what} is not valid UTF-8. Send it encoded as UTF-8.`, {
    code: 'CARAFE_INVALID_UTF8',
  });
}

export function malformedMultipart(problem: string): BadRequest {
  return new BadRequest(`Malformed multipart/form-data body: ${problem}.`, {
    code: 'CARAFE_MALFORMED_MULTIPART',
  });
}

export function tooLarge(what: string, limit: number, configKey: string): PayloadTooLarge {
  return new PayloadTooLarge(
    `${what} is larger than the ${describeBytes(limit)} limit. Send less, or raise ` +
      `\`limits.${configKey}\` in the app config.`,
  );
}

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes}-byte`;
}
