import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { postSave, preDelete, type SaveSignalPayload, Signal } from './signals.js';

const Question = { name: 'polls.Question' };
const Choice = { name: 'polls.Choice' };

describe('Signal', () => {
  it('awaits receivers one after another, in the order they connected', async () => {
    const signal = new Signal<{ n: number }>();
    const calls: string[] = [];
    signal.connect(async ({ n }) => {
      await sleep(10);
      calls.push(`slow ${n}`);
    });
    signal.connect(({ n }) => {
      calls.push(`fast ${n}`);
    });
    await signal.send({ n: 1 });
    assert.deepEqual(calls, ['slow 1', 'fast 1']);
  });

  it('calls a receiver connected for a sender only for that sender', async () => {
    const seen: unknown[] = [];
    const stopQuestion = postSave.connect(
      (payload) => {
        seen.push(['question', payload.instance, payload.created]);
      },
      { sender: Question },
    );
    const stopAll = postSave.connect((payload) => {
      seen.push(['any', payload.instance]);
    });
    try {
      await postSave.send({ model: Question, instance: 'q1', created: true });
      await postSave.send({ model: Choice, instance: 'c1', created: false });
      assert.deepEqual(seen, [
        ['question', 'q1', true],
        ['any', 'q1'],
        ['any', 'c1'],
      ]);
      assert.equal(postSave.hasReceivers(Choice), true);
    } finally {
      stopQuestion();
      stopAll();
    }
    assert.equal(postSave.hasReceivers(), false);
  });

  it('disconnects, and connects the same receiver only once', async () => {
    const signal = new Signal<string>();
    const calls: string[] = [];
    const receiver = (value: string) => {
      calls.push(value);
    };
    const disconnect = signal.connect(receiver);
    signal.connect(receiver);
    await signal.send('a');
    disconnect();
    await signal.send('b');
    assert.deepEqual(calls, ['a']);
    assert.equal(signal.hasReceivers(), false);
  });

  it('lets a receiver disconnect itself without skipping the others', async () => {
    const signal = new Signal<number>();
    const calls: string[] = [];
    const stop = signal.connect(() => {
      calls.push('once');
      stop();
    });
    signal.connect(() => {
      calls.push('always');
    });
    await signal.send(1);
    await signal.send(2);
    assert.deepEqual(calls, ['once', 'always', 'always']);
  });

  it('stops at a failing receiver and passes its error to the sender', async () => {
    const payload: SaveSignalPayload = { model: Question, instance: 'q' };
    const calls: string[] = [];
    const stops = [
      preDelete.connect(() => {
        throw new Error('protected row');
      }),
      preDelete.connect(() => {
        calls.push('after');
      }),
    ];
    try {
      await assert.rejects(preDelete.send(payload), { message: 'protected row' });
      assert.deepEqual(calls, []);
    } finally {
      for (const stop of stops) stop();
    }
  });

  it('refuses a sender filter on a signal that has no sender', () => {
    const signal = new Signal<number>({ name: 'tick' });
    assert.throws(() => signal.connect(() => {}, { sender: Question }), {
      code: 'CARAFE_SIGNAL_SENDER',
      message: /The tick signal has no sender/,
    });
  });
});
