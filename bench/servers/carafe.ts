// Carafe through its public core API, as a user's app would be written.
import { randomBytes } from 'node:crypto';
import {
  announceListening,
  exitOnStartupError,
  fillerRoutes,
  HELLO,
  serverPort,
  startClock,
} from './common.js';

const startedAt = startClock();
const port = serverPort();
const { Carafe, text } = await import('../../src/index.js');

const app = new Carafe({
  debug: false,
  secretKey: randomBytes(24).toString('hex'),
  allowedHosts: ['127.0.0.1', 'localhost'],
});
for (const route of fillerRoutes) {
  app.get(route.pattern, (req) => ({ route: route.name, params: req.params }), {
    name: route.name,
  });
}
app.get('/json', () => ({ message: HELLO }), { name: 'json' });
app.get('/plaintext', () => text(HELLO, { headers: { server: 'Carafe' } }), { name: 'plaintext' });
app.get('/users/<int:id>', (req) => ({ id: req.params.id }), { name: 'user' });

try {
  // Carafe closes the server and exits 0 on SIGTERM by itself (`handleSignals`, on by default).
  await app.listen({ host: '127.0.0.1', port });
  announceListening(port, startedAt);
} catch (error) {
  exitOnStartupError(error, port);
}
