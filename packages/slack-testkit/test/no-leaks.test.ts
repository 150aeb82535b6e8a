// The testkit itself never writes to the console, so it cannot leak tokens or signatures into CI logs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createSlackDriver, startSlackStandIn, validateMessageBlocks } from '../src/index.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logging', () => {
  it('a full round of calls, faults and driver requests prints nothing', async () => {
    const printed: unknown[][] = [];
    for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        printed.push(args);
      });
    }
    const s = await startSlackStandIn({ botToken: 'xoxb-secret-bot-token', signingSecret: 'super-secret-signing' });
    try {
      const call = (method: string, form: Record<string, string>, token = 'xoxb-secret-bot-token') =>
        fetch(`${s.url}${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
          body: new URLSearchParams(form).toString(),
        }).then((r) => r.json());
      await call('chat.postMessage', { channel: 'U0A', text: 'hi' });
      await call('chat.postMessage', { channel: 'U0A', text: 'hi' }, 'xoxb-wrong');
      s.rateLimit('auth.test', { times: 1 });
      await call('auth.test', {});
      await call('views.open', { trigger_id: 'bad', view: '{' });
      // A driver aimed at a path nothing serves: the failure shows in the result, not in a log line.
      const d = createSlackDriver({ appUrl: `${s.origin}/slack/events`, signingSecret: 'super-secret-signing', standIn: s });
      const r = await d.slashCommand({ userId: 'U0A', text: 'x' });
      expect(r.status).toBe(404);
    } finally {
      await s.close();
    }
    expect(printed).toEqual([]);
  });
});

describe('Block Kit limits, property-based', () => {
  it('section text is accepted exactly when it has 1–3000 characters (code points)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3100 }), fc.constantFrom('x', 'é', '🔑'), (n, ch) => {
        const errors = validateMessageBlocks([{ type: 'section', text: { type: 'mrkdwn', text: ch.repeat(n) } }]);
        return (errors.length === 0) === (n >= 1 && n <= 3000);
      }),
      { numRuns: 200 },
    );
  });

  it('a message is accepted exactly when it has at most 50 blocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), (n) => {
        const errors = validateMessageBlocks(Array.from({ length: n }, () => ({ type: 'divider' })));
        return (errors.length === 0) === (n <= 50);
      }),
      { numRuns: 60 },
    );
  });
});
