// Fastify as its docs teach it: schema-less routes, async handlers returning the payload.
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
const { default: Fastify } = await import('fastify');

const app = Fastify({ logger: false });
for (const route of fillerRoutes) {
  app.get(route.colonPattern, async (request) => ({ route: route.name, params: request.params }));
}
app.get('/json', async () => ({ message: HELLO }));
app.get('/plaintext', async (_request, reply) => {
  reply.header('Server', 'Fastify').type('text/plain');
  return HELLO;
});
app.get<{ Params: { id: string } }>('/users/:id', async (request) => ({
  id: Number(request.params.id),
}));

closeOnSigterm(() => app.close());
try {
  await app.listen({ host: '127.0.0.1', port });
} catch (error) {
  exitOnStartupError(error, port);
}
announceListening(port, startedAt);
