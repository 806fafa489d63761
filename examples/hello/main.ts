// The smallest Carafe app: `npm start` serves it on http://127.0.0.1:8000.
import { Carafe } from 'carafe';

const app = new Carafe({ debug: true });

app.get('/', () => '<h1>Hello from Carafe</h1><p>Try <a href="/hello/world">/hello/world</a>.</p>', { name: 'index' });
app.get('/hello/<name>', (req) => ({ greeting: `Hello, ${req.params.name}!` }), { name: 'hello' });

const server = await app.listen({ port: Number(process.env.PORT ?? 8000) });
console.log(`Carafe is serving on ${server.url}/ (Ctrl-C to stop)`);
