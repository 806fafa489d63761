// Express 5 with its defaults (ETag, X-Powered-By), answering through res.json / res.send.
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
const { default: express } = await import('express');

const app = express();
for (const route of fillerRoutes) {
  app.get(route.colonPattern, (req, res) => {
    res.json({ route: route.name, params: req.params });
  });
}
app.get('/json', (_req, res) => {
  res.json({ message: HELLO });
});
app.get('/plaintext', (_req, res) => {
  res.set('Server', 'Express').type('text/plain').send(HELLO);
});
app.get('/users/:id', (req, res) => {
  res.json({ id: Number(req.params.id) });
});

const server = app.listen(port, '127.0.0.1', (error) => {
  if (error) exitOnStartupError(error, port);
  announceListening(port, startedAt);
});
closeOnSigterm(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);
