// Values that look like secrets are never shown on the debug page or written to logs.

const secretName =
  /pass|secret|token|key|auth|cookie|session|csrf|signature|api|credential|private/i;

export const maskedValue = '********';

/** Whether a header, field, query or cookie name suggests its value is a secret. */
export function isSecretName(name: string): boolean {
  return secretName.test(name);
}

/** The request target with secret-looking query values masked: `/cb?token=abc` gives `/cb?token=********`. */
export function maskUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const pairs = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && isSecretName(decodeName(rawName))
        ? `${rawName}=${maskedValue}`
        : pair;
    });
  return `${url.slice(0, queryStart)}?${pairs.join('&')}`;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
