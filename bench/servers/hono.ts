// Hono on Node through @hono/node-server's `serve`, with the default (smart) router.
import {
  announceListening,
  closeOnSigterm,
  exitOnStartupError,
  fillerRoutes,
  HELLO,
  serverPort,
  startClock,
} from './common.js';

const startedAt = startClock();
const port = serverPort();
const { Hono } = await import('hono');
const { serve } = await import('@hono/node-server');

const app = new Hono();
for (const route of fillerRoutes) {
  app.get(route.colonPattern, (c) => c.json({ route: route.name, params: c.req.param() }));
}
app.get('/json', (c) => c.json({ message: HELLO }));
app.get('/plaintext', (c) => c.text(HELLO, 200, { Server: 'Hono' }));
app.get('/users/:id', (c) => c.json({ id: Number(c.req.param('id')) }));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () =>
  announceListening(port, startedAt),
);
server.once('error', (error) => exitOnStartupError(error, port));
closeOnSigterm(
  () =>
    new Promise((resolve) => {
      server.close(resolve);
      if ('closeAllConnections' in server) server.closeAllConnections();
    }),
);
