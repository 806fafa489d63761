import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { Carafe, text } from '../index.js';
import { TestClient } from '../testing/index.js';
import { atomicRequest } from './index.js';

forEachDatabase('atomicRequest', (ctx) => {
  function makeApp() {
    const app = new Carafe({ secretKey: 'k'.repeat(48), allowedHosts: ['localhost'], log: { level: 'silent' } });
    const insert = (name: string) =>
      ctx.database.raw(
        ctx.dialect === 'postgres' ? 'INSERT INTO ar_note (name) VALUES ($1)' : 'INSERT INTO ar_note (name) VALUES (?)',
        [name],
      );
    app.post('/ok/', async () => {
      await insert('kept');
      return text('saved', { status: 201 });
    }, { name: 'ok', middleware: [atomicRequest()] });
    app.post('/throws/', async () => {
      await insert('thrown away');
      throw new Error('handler failed after writing');
    }, { name: 'throws', middleware: [atomicRequest()] });
    app.post('/503/', async () => {
      await insert('answered 503');
      return text('unavailable', { status: 503 });
    }, { name: 'unavailable', middleware: [atomicRequest()] });
    return app;
  }

  it('commits a successful request and rolls back a failed one', async () => {
    await ctx.database.raw('CREATE TABLE ar_note (name VARCHAR(50) NOT NULL)');
    const client = new TestClient(makeApp());
    assert.equal((await client.post('/ok/')).status, 201);
    assert.equal((await client.post('/throws/')).status, 500);
    assert.equal((await client.post('/503/')).status, 503);
    const rows = await ctx.database.raw<{ name: string }>('SELECT name FROM ar_note');
    assert.deepEqual(rows.map((row) => row.name), ['kept']);
  });
});
