// A real SMTP server for tests, on a free loopback port: it speaks enough of RFC 5321 (EHLO,
// AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) to accept what nodemailer sends, and
// keeps each message with its envelope.
import { createServer, type Socket } from 'node:net';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The message as received, dot-stuffing undone, CRLF line ends. */
  readonly data: string;
  /** The user that authenticated, if any. */
  readonly user: string | undefined;
}

export interface SmtpSink {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Connections opened so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Require this login before MAIL FROM. */
  auth?: { user: string; pass: string };
  /** Recipients answered with 550. */
  reject?: readonly string[];
}

const decode = (text: string) => Buffer.from(text, 'base64').toString('utf8');

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let user: string | undefined;
    let from: string | undefined;
    let to: string[] = [];
    let data: string[] | undefined;
    let login: { step: 'user' | 'pass'; user?: string } | undefined;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    const checkLogin = (name: string, pass: string) => {
      if (options.auth && name === options.auth.user && pass === options.auth.pass) {
        user = name;
        reply('235 2.7.0 Authentication successful');
      } else {
        reply('535 5.7.8 Authentication credentials invalid');
      }
    };

    const handle = (line: string) => {
      if (data !== undefined) {
        if (line !== '.') {
          data.push(line.startsWith('..') ? line.slice(1) : line);
          return;
        }
        received.push({ from: from ?? '', to, data: `${data.join('\r\n')}\r\n`, user });
        data = undefined;
        from = undefined;
        to = [];
        reply('250 2.0.0 Ok: queued');
        return;
      }
      if (login !== undefined) {
        if (login.step === 'user') {
          login = { step: 'pass', user: decode(line) };
          reply('334 UGFzc3dvcmQ6');
        } else {
          const name = login.user ?? '';
          login = undefined;
          checkLogin(name, decode(line));
        }
        return;
      }
      const [verb = '', ...rest] = line.split(' ');
      const argument = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          reply('250-sink.test');
          if (options.auth) reply('250-AUTH PLAIN LOGIN');
          reply('250 8BITMIME');
          return;
        case 'HELO':
          return reply('250 sink.test');
        case 'AUTH': {
          const [method = '', initial] = argument.split(' ');
          if (method.toUpperCase() === 'LOGIN') {
            login = { step: 'user' };
            return reply('334 VXNlcm5hbWU6');
          }
          if (method.toUpperCase() === 'PLAIN' && initial !== undefined) {
            const [, name = '', pass = ''] = decode(initial).split('\0');
            return checkLogin(name, pass);
          }
          return reply('504 5.5.4 Unrecognized authentication type');
        }
        case 'MAIL':
          if (options.auth && user === undefined) return reply('530 5.7.0 Authentication required');
          from = /<([^>]*)>/.exec(argument)?.[1] ?? '';
          to = [];
          return reply('250 2.1.0 Ok');
        case 'RCPT': {
          const address = /<([^>]*)>/.exec(argument)?.[1] ?? '';
          if (options.reject?.includes(address)) return reply('550 5.1.1 No such user here');
          to.push(address);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (to.length === 0) return reply('554 5.5.1 No valid recipients');
          data = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = undefined;
          to = [];
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          return reply('502 5.5.2 Command not recognized');
      }
    };

    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf('\r\n');
      while (end !== -1) {
        handle(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\r\n');
      }
    });
    reply('220 sink.test ESMTP');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the sink has no port');
  return {
    port: address.port,
    received,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
