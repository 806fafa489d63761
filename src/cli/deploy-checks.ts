// `carafe check --deploy`: the production checklist (Django's `check --deploy`). Settings are
// read from the config; what the security app does is observed instead, by sending two
// requests through the app in memory, so the answer is what visitors would really get.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Carafe } from '../index.js';
import type { CheckMessage, CheckTarget } from './checks.js';

const recommendedKeyLength = 50;
const placeholder =
  /insecure|change[-_ ]?me|example|placeholder|not[-_ ]?secret|dev[-_ ]?only|your[-_ ]?secret|secret[-_ ]?key/i;
const generateKey = `node -e "console.log(require('node:crypto').randomBytes(48).toString('base64url'))"`;

function keyProblem(key: string, root: string): string | undefined {
  if (key.length < recommendedKeyLength) {
    return `is ${key.length} characters long; ${recommendedKeyLength} or more are recommended`;
  }
  if (new Set(key).size < 5) return 'uses fewer than 5 different characters';
  if (placeholder.test(key)) return 'looks like a placeholder, not a random key';
  let example = '';
  try {
    example = readFileSync(join(root, '.env.example'), 'utf8');
  } catch {
    // no example file, nothing to compare with
  }
  if (example.includes(key)) return 'is the one in .env.example, which is in version control';
  return undefined;
}

function keyChecks({ app, written, root }: CheckTarget): CheckMessage[] {
  const messages: CheckMessage[] = [];
  if (written.secretKey === undefined || written.secretKey === '') {
    messages.push({
      id: 'carafe.W102',
      level: 'warning',
      message:
        'secretKey is not set; debug mode generates one per process, and production refuses to start.',
      hint: `Generate a key with ${generateKey}, set SECRET_KEY to it on the server and write secretKey: env('SECRET_KEY').`,
    });
  } else {
    const problem = keyProblem(app.config.secretKey, root);
    if (problem !== undefined) {
      messages.push({
        id: 'carafe.W102',
        level: 'warning',
        message: `secretKey ${problem}: signed cookies and tokens are only as strong as the key.`,
        hint: `Generate a key with ${generateKey} and keep it out of version control.`,
      });
    }
  }
  app.config.secretKeyFallbacks.forEach((key, index) => {
    const problem = keyProblem(key, root);
    if (problem === undefined) return;
    messages.push({
      id: 'carafe.W103',
      level: 'warning',
      message: `secretKeyFallbacks[${index}] ${problem}; signatures made with it are still accepted.`,
      hint: 'Remove weak fallback keys; accept the logouts rather than a guessable key.',
    });
  });
  return messages;
}

function hostCheck({ app, written }: CheckTarget): CheckMessage[] {
  if (written.allowedHosts === undefined || written.allowedHosts.length === 0) {
    return [
      {
        id: 'carafe.W104',
        level: 'warning',
        message:
          'allowedHosts is not set; debug mode allows only localhost, and production refuses to start.',
        hint: "List your domains: allowedHosts: env.list('ALLOWED_HOSTS').",
      },
    ];
  }
  if (!app.config.allowedHosts.includes('*')) return [];
  return [
    {
      id: 'carafe.W104',
      level: 'warning',
      message:
        "allowedHosts contains '*', so any Host header is accepted (forged password-reset links, poisoned caches).",
      hint: 'List your domains instead, unless a proxy in front already refuses other hosts.',
    },
  ];
}

/** A host the app accepts, for the in-memory requests. */
function probeHost(app: Carafe): string {
  const named = app.config.allowedHosts.find((host) => host !== '*');
  if (named === undefined) return 'example.com';
  return named.startsWith('.') ? named.slice(1) : named;
}

async function probe(app: Carafe, url: string): Promise<Response> {
  const response = await app.fetch(new Request(url));
  await response.body?.cancel();
  return response;
}

async function securityChecks({ app }: CheckTarget): Promise<CheckMessage[]> {
  if (!app.apps.some((definition) => definition.name === 'carafe.security')) {
    return [
      {
        id: 'carafe.W105',
        level: 'warning',
        message:
          'The security app is not listed: no CSRF protection, no security headers, no HSTS and no HTTPS redirect.',
        hint: "Add security({ hsts: { maxAge: 31536000 }, sslRedirect: true }) from 'carafe/security' to apps.",
      },
    ];
  }
  // A path no route has: the security middleware answers it like any other, handlers stay out.
  const path = '/carafe-check-deploy-probe/';
  const host = probeHost(app);
  const messages: CheckMessage[] = [];
  const secure = await probe(app, `https://${host}${path}`);
  const hsts = secure.headers.get('strict-transport-security');
  if (hsts === null) {
    messages.push({
      id: 'carafe.W106',
      level: 'warning',
      message:
        'HTTPS responses have no Strict-Transport-Security header, so browsers may still try plain HTTP.',
      hint: 'Pass hsts: { maxAge: 300 } to security(), then raise it to a year (31536000) once all is well.',
    });
  } else if (!/includesubdomains/i.test(hsts)) {
    messages.push({
      id: 'carafe.W107',
      level: 'warning',
      message:
        'Strict-Transport-Security does not include subdomains, which can then be used to attack the site over HTTP.',
      hint: 'Pass hsts: { maxAge, includeSubdomains: true } once every subdomain serves HTTPS.',
    });
  }
  const plain = await probe(app, `http://${host}${path}`);
  const location = plain.headers.get('location') ?? '';
  if (!(plain.status >= 300 && plain.status < 400 && location.startsWith('https://'))) {
    messages.push({
      id: 'carafe.W108',
      level: 'warning',
      message: 'Plain HTTP requests are not redirected to HTTPS.',
      hint: 'Pass sslRedirect: true to security(), or redirect in the proxy in front of the app.',
    });
  }
  return messages;
}

function proxyCheck({ app }: CheckTarget): CheckMessage[] {
  if (app.config.trustedProxies.length > 0) return [];
  return [
    {
      id: 'carafe.W109',
      level: 'warning',
      message:
        'trustedProxies is empty, so behind a TLS-terminating proxy every request looks like plain HTTP: session and CSRF cookies go out without Secure, HSTS is never sent and an HTTPS redirect loops.',
      hint: "Set trustedProxies to the proxy's address (['loopback'] when it runs on the same machine). Ignore this if Node itself serves HTTPS.",
    },
  ];
}

export async function deployChecks(target: CheckTarget): Promise<CheckMessage[]> {
  const debug: CheckMessage[] = target.app.config.debug
    ? [
        {
          id: 'carafe.W101',
          level: 'warning',
          message:
            'debug is on: error pages show source code, settings and request data to anyone.',
          hint: "Write debug: env.bool('DEBUG', false) and leave DEBUG unset on the server.",
        },
      ]
    : [];
  return [
    ...debug,
    ...keyChecks(target),
    ...hostCheck(target),
    ...(await securityChecks(target)),
    ...proxyCheck(target),
  ];
}
