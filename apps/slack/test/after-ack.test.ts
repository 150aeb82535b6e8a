// The post-ack gate: a listener's views.open waits while requests are unanswered or still arriving, and goes
// out anyway once its cap is reached. Clocks are injected; nothing here asserts on real time.
import { EventEmitter } from 'node:events';
import { setImmediate } from 'node:timers';
import { describe, expect, it } from 'vitest';
import { createAfterAck, createIncomingTracker } from '../src/listeners/after-ack.ts';

const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r)); };

describe('after-ack gate', () => {
  it('holds the job while a received request is unanswered and runs it once that response finishes', async () => {
    let t = 1000;
    const now = () => t;
    const incoming = createIncomingTracker(now);
    const gate = createAfterAck({ incoming, quietMs: 5, maxWaitMs: 250, now });
    const res = new EventEmitter();
    incoming.received(res);
    let ran = false;
    const done = gate.run(async () => { ran = true; return 'opened'; });
    t += 100;
    await turns(5);
    expect(ran).toBe(false);
    res.emit('finish');
    res.emit('close'); // counted once
    expect(incoming.unanswered()).toBe(0);
    await expect(done).resolves.toBe('opened');
  });

  it('waits for the quiet window after the last arrival, then runs', async () => {
    let t = 0;
    const now = () => t;
    const incoming = createIncomingTracker(now);
    const gate = createAfterAck({ incoming, quietMs: 5, maxWaitMs: 250, now });
    const res = new EventEmitter();
    incoming.received(res);
    res.emit('finish');
    let ran = false;
    const done = gate.run(async () => { ran = true; });
    await turns(5);
    expect(ran).toBe(false);
    t = 6;
    await done;
    expect(ran).toBe(true);
  });

  it('runs after maxWaitMs even while requests keep arriving, and passes the job failure on', async () => {
    let t = 0;
    const now = () => t;
    const incoming = createIncomingTracker(now);
    const gate = createAfterAck({ incoming, quietMs: 5, maxWaitMs: 250, now });
    incoming.received(new EventEmitter());
    const done = gate.run(async () => { throw new Error('expired_trigger_id'); });
    await turns(3);
    t = 250;
    await expect(done).rejects.toThrow('expired_trigger_id');
  });

  it('without a tracker (Socket Mode) runs on the next loop turn', async () => {
    await expect(createAfterAck().run(async () => 42)).resolves.toBe(42);
  });
});
