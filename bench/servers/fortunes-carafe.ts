// TechEmpower's `/fortunes` the way Carafe's guides teach it: a model read through
// `Fortune.objects`, and `render` from carafe/templates (Nunjucks, autoescaping on).
import { randomBytes } from 'node:crypto';
import { announceListening, exitOnStartupError, serverPort, startClock } from './common.js';
import { ADDITIONAL_FORTUNE, byMessage, databaseUrl, TEMPLATES_DIR } from './db-common.js';

const startedAt = startClock();
const port = serverPort();
const url = databaseUrl();
const { Carafe } = await import('../../src/index.js');
const { configureDatabases, f, model } = await import('../../src/db/index.js');
// Imported before the app is created: it registers the `templates` setting.
const { render } = await import('../../src/templates/index.js');

configureDatabases(url);

const Fortune = model('bench.Fortune', { message: f.string({ max: 2048 }) }, { table: 'fortune' });

const app = new Carafe({
  debug: false,
  secretKey: randomBytes(24).toString('hex'),
  allowedHosts: ['127.0.0.1', 'localhost'],
  templates: { dirs: [TEMPLATES_DIR] },
});
app.get(
  '/fortunes',
  async (req) => {
    const fortunes = [...(await Fortune.objects.all()), ADDITIONAL_FORTUNE];
    fortunes.sort(byMessage);
    return render(req, 'fortunes.html', { fortunes });
  },
  { name: 'fortunes' },
);

try {
  // Carafe closes the server and exits 0 on SIGTERM by itself (`handleSignals`, on by default).
  await app.listen({ host: '127.0.0.1', port });
  announceListening(port, startedAt);
} catch (error) {
  exitOnStartupError(error, port);
}
