// Django tutorial part 5's model tests (only questions from the last day are recent), and the
// committed migration checked against the models.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makemigrations } from 'carafe/db/migrations';
import { wasPublishedRecently } from '../polls/models.js';
import { app } from './support.js';

const now = new Date('2026-03-01T12:00:00Z');
const at = (offsetMs: number) => ({ pubDate: new Date(now.getTime() + offsetMs) });
const second = 1000;
const day = 24 * 60 * 60 * second;

describe('wasPublishedRecently', () => {
  it('is false for a question published in the future', () => {
    assert.equal(wasPublishedRecently(at(30 * day), now), false);
    assert.equal(wasPublishedRecently(at(second), now), false);
  });

  it('is false for a question older than a day', () => {
    assert.equal(wasPublishedRecently(at(-day - second), now), false);
  });

  it('is true for a question from within the last day', () => {
    assert.equal(wasPublishedRecently(at(-day + second), now), true);
    assert.equal(wasPublishedRecently(at(0), now), true);
  });

  it('reads the clock when no time is given', () => {
    assert.equal(wasPublishedRecently({ pubDate: new Date() }), true);
  });
});

describe('the migrations', () => {
  it('match the models: no change is left without a migration', async () => {
    const lines: string[] = [];
    const { exitCode } = await makemigrations({
      apps: app.apps,
      check: true,
      output: (line) => lines.push(line),
    });
    assert.equal(exitCode, 0, lines.join('\n'));
  });
});
