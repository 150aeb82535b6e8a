// Listener handlers of the key lifecycle with fake ack/client and a context that fails the test if touched:
// bad input is answered in the ack and nothing is looked up; only an explicit deactivation offboards.
import { describe, expect, it } from 'vitest';
import { handleRevokeCommand } from '../src/listeners/commands/revoke.ts';
import { createUserChangeHandler, type UserChangeArgs } from '../src/listeners/events/user-change.ts';
import { createOffboardingTransferHandler, type OffboardingTransferArgs } from '../src/listeners/actions/offboarding.ts';
import type { WorkflowContext } from '../src/workflow/context.ts';

/** A context any use of which throws: the handler must not reach the store, Slack or NCP. */
const untouchable = new Proxy({}, { get: (_t, p) => { throw new Error(`context.${String(p)} was used`); } }) as WorkflowContext;

function command(text: string) {
  const acks: unknown[] = [];
  const opened: unknown[] = [];
  return {
    acks,
    opened,
    args: {
      command: { text, user_id: 'U0ME', trigger_id: 't1' } as never,
      ack: (async (body?: unknown) => { acks.push(body); }) as never,
      respond: (async () => { throw new Error('respond was used'); }) as never,
      client: { views: { open: async (v: unknown) => { opened.push(v); return { ok: true }; } } } as never,
    },
  };
}

describe('lifecycle handlers', () => {
  it('/apikey revoke without exactly one well-formed id is answered in the ack, with nothing looked up', async () => {
    for (const text of ['revoke', 'revoke   ', 'revoke a b', 'revoke <@U0X>', `revoke ${'a'.repeat(65)}`]) {
      const c = command(text);
      await handleRevokeCommand(untouchable, c.args);
      expect(c.acks).toHaveLength(1);
      expect(JSON.stringify(c.acks[0])).toContain('Usage: `/apikey revoke &lt;apiKeyId&gt;`');
      expect(c.opened).toHaveLength(0);
    }
  });

  it('user_change offboards only on deleted: true with a user id and a workspace', async () => {
    const event = (user: Record<string, unknown>, teamId?: string) => ({ event: { type: 'user_change', user }, body: teamId === undefined ? {} : { team_id: teamId } }) as unknown as UserChangeArgs;
    const untouched = createUserChangeHandler(untouchable);
    for (const user of [{ id: 'U0A', deleted: false }, { id: 'U0A' }, { deleted: true }, { id: '', deleted: true }, { id: 'U0A', deleted: 'true' }]) {
      await untouched(event(user, 'T1'));
    }
    await untouched(event({ id: 'U0A', deleted: true }));
    const marked: unknown[] = [];
    const ctx = {
      now: () => 5,
      wake: () => {},
      logger: { info: () => {} },
      config: { policy: { defaults: { offboarding: 'disable' } } },
      store: { markOwnerGone: async (...args: unknown[]) => { marked.push(args.slice(0, 3)); return []; } },
    } as unknown as WorkflowContext;
    await createUserChangeHandler(ctx)(event({ id: 'U0A', deleted: true, team_id: 'T9' }));
    await createUserChangeHandler(ctx)(event({ id: 'U0B', deleted: true }, 'T1'));
    expect(marked).toEqual([['T9', 'U0A', 5], ['T1', 'U0B', 5]]);
  });

  it('a transfer pick is acked, and without a key row or a picked user nothing is looked up', async () => {
    const acks: unknown[] = [];
    const pick = (blockId: string, selected?: string) => ({
      ack: async () => { acks.push('ack'); },
      body: { user: { id: 'U0APP' }, channel: { id: 'C1' }, message: { ts: '1.1', blocks: [] } },
      action: { type: 'users_select', action_id: 'offboarding_transfer', block_id: blockId, ...(selected !== undefined ? { selected_user: selected } : {}) },
      client: untouchable,
    }) as unknown as OffboardingTransferArgs;
    const handler = createOffboardingTransferHandler(untouchable);
    // The untouchable context makes any lookup reject.
    await expect(handler(pick('something_else', 'U0NEW'))).resolves.toBeUndefined();
    await expect(handler(pick('offact_key1'))).resolves.toBeUndefined();
    await expect(handler(pick('offact_key1', 'U0NEW'))).rejects.toThrow(/context\.store was used/);
    expect(acks).toHaveLength(3);
  });
});
