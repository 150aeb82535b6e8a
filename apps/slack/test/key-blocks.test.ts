// The key lifecycle's Block Kit builders, fed many keys with hostile names (the stand-in's validator checks
// Slack's limits: 50 blocks per message, 100 per view, text lengths): nothing is cut off silently, no mention is
// acted on, button values carry the key id only, and the offboarding message can be read back to re-render it.
import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '@apikey/slack-testkit';
import { keysListMessage, type KeyOverview } from '../src/blocks/keys.ts';
import { buildOffboardingMessage, readOffboardingMessage, transferredDm } from '../src/blocks/offboarding.ts';
import { buildRevokeModal, revokedNotice, revokeFailedDm } from '../src/blocks/revoke.ts';
import { rotationReminderDm } from '../src/blocks/rotation-reminder.ts';
import type { RegisteredKey } from '../src/store/key-registry.ts';
import type { KeyRequest } from '../src/store/request-store.ts';
import { buildHomeView } from '../src/blocks/home.ts';
import { handoverFailedMessage, handoverKeysDm, handoverRevealDm, handoverRevealedDm, handoverRevealModal, parseHandoverRevealValue } from '../src/blocks/handover.ts';
import { mrkdwnTexts } from './helpers/mrkdwn-texts.ts';

const NOW = 1_800_000_000_000;
const HOSTILE = '<!channel> & <@U0EVIL> *bold* '.repeat(20);

function key(i: number, o: Partial<RegisteredKey> = {}): RegisteredKey {
  return {
    apiKeyId: `key${String(i).padStart(7, '0')}`,
    teamId: 'T1',
    ownerId: 'U0OWNER',
    requestId: `req_${String(i).padStart(20, 'x')}`,
    apiKeyName: HOSTILE,
    productId: 'pay1234567',
    productName: HOSTILE,
    state: 'active',
    version: 1,
    createdAt: NOW - 200 * 86_400_000,
    ...o,
  };
}

function request(i: number): KeyRequest {
  return {
    id: `req_${String(i).padStart(20, 'r')}`, teamId: 'T1', requesterId: 'U0OWNER', apiKeyName: HOSTILE.slice(0, 60), apiKeyDescription: 'd',
    justification: HOSTILE, state: 'pending', version: 1, createdAt: NOW, expiresAt: NOW + 1000, attempts: 0,
  };
}

const rotateAfterOf = () => 90 * 86_400_000;

function expectSafe(node: unknown, text?: string): void {
  for (const t of [...(text !== undefined ? [text] : []), ...mrkdwnTexts(node)]) {
    expect(t).not.toContain('<!channel>');
    expect(t).not.toContain('<@U0EVIL>');
  }
}

describe('key lifecycle blocks', () => {
  const many = Array.from({ length: 200 }, (_, i) => key(i, { state: i % 5 === 0 ? 'disabled' : 'active', ...(i % 3 === 0 ? { rotationStep: 'awaiting_primary' as const } : {}) }));
  const overview: KeyOverview = {
    mine: many,
    attention: many.map((k, i) => ({ key: { ...k, ownerId: 'U0GONE', ...(i % 2 === 0 ? { ownerGoneAt: NOW } : {}) }, reasons: i % 2 === 0 ? ['owner_gone', 'rotation_due'] : ['rotation_due'] })),
    isApprover: true,
  };

  it('/apikey keys stays within a message\'s limits with 200 keys each way, says how many are not shown, and escapes names', () => {
    const m = keysListMessage(overview, { now: NOW, rotateAfterOf });
    expect(validateMessageBlocks(m.blocks)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('My keys (200)');
    expect(text).toContain('Needs attention (200)');
    expect(text).toMatch(/…and \d+ more not shown here/);
    expect(text).toContain('rotation in progress');
    expect(text).toContain('owner left Slack');
    expectSafe(m.blocks, m.text);
    for (const b of m.blocks) {
      if (b.type !== 'actions') continue;
      for (const e of b.elements) if (e.type === 'button') expect(e.value).toMatch(/^key\d{7}$/);
    }
    // An empty list for someone who is not an approver: one section and a hint.
    const empty = keysListMessage({ mine: [], attention: [], isApprover: false }, { now: NOW, rotateAfterOf });
    expect(validateMessageBlocks(empty.blocks)).toEqual([]);
    expect(JSON.stringify(empty.blocks)).not.toContain('Needs attention');
  });

  it('App Home stays within 100 blocks with everything full, and still shows each section', () => {
    const requests = Array.from({ length: 60 }, (_, i) => request(i));
    const view = buildHomeView({ isApprover: true, pending: requests, mine: requests, keys: { overview, now: NOW, rotateAfterOf } });
    expect(validateView(view, 'home')).toEqual({ kind: 'ok' });
    const text = JSON.stringify(view.blocks);
    for (const title of ['Waiting for your decision', 'My keys (200)', 'Needs attention (200)', 'My requests']) expect(text).toContain(title);
    expectSafe(view.blocks);
  });

  it('the offboarding message lists 20 keys with actions, counts the rest, and reads back what it lists', () => {
    const keys = Array.from({ length: 30 }, (_, i) => key(i, { ownerId: 'U0GONE', state: i === 1 ? 'disabled' : 'active', ...(i === 2 ? { ownerId: 'U0HEIR' } : {}) }));
    for (const policy of ['disable', 'flag'] as const) {
      const m = buildOffboardingMessage({ ownerId: 'U0GONE', keys, total: 30, policy });
      expect(validateMessageBlocks(m.blocks)).toEqual([]);
      expectSafe(m.blocks, m.text);
      const text = JSON.stringify(m.blocks);
      expect(text).toContain('…and 10 more');
      expect(text).toContain('transferred to <@U0HEIR>');
      expect(text).toContain(policy === 'disable' ? 'being disabled' : 'still active');
      expect(readOffboardingMessage(m.blocks as { block_id?: string }[])).toEqual({ ownerId: 'U0GONE', total: 30, apiKeyIds: keys.slice(0, 20).map((k) => k.apiKeyId) });
    }
    expect(readOffboardingMessage([{ block_id: 'something' }])).toBeUndefined();
  });

  it('revoke modal, notices and DMs are valid and escape names', () => {
    const k = key(1);
    for (const mode of ['disable', 'delete'] as const) {
      const modal = buildRevokeModal(k, mode);
      expect(validateView(modal)).toEqual({ kind: 'ok' });
      expect(modal.private_metadata).toBe(k.apiKeyId);
      expectSafe(modal.blocks);
    }
    for (const m of [revokedNotice(k, 'U0APP1', 'disabled'), revokeFailedDm(k, '<!here> NCP down'), transferredDm(k, { from: 'U0GONE', by: 'U0APP1' }), rotationReminderDm(k, { now: NOW, rotateAfterMs: 90 * 86_400_000 })]) {
      expect(validateMessageBlocks(m.blocks)).toEqual([]);
      expectSafe(m.blocks, m.text);
    }
    expect(JSON.stringify(rotationReminderDm(k, { now: NOW, rotateAfterMs: 90 * 86_400_000 }).blocks)).toContain(`"action_id":"rotate"`);
  });

  it('handover DMs and window are valid, escape names, and carry the values only in DM delivery\'s blocks', () => {
    const k = key(2, { state: 'disabled' });
    const values = { primary: 'PRIMARYVALUE123', secondary: 'SECONDARYVALUE456' };
    const dm = handoverKeysDm(k, values, 'U0APP1');
    expect(JSON.stringify(dm.blocks)).toContain(values.primary);
    expect(JSON.stringify(dm.blocks)).toContain(values.secondary);
    const reveal = handoverRevealDm(k, 'U0APP1');
    const failed = handoverFailedMessage(k, 'enabling', '<!here> NCP down');
    for (const m of [dm, reveal, handoverRevealedDm(k, NOW), failed, transferredDm(k, { from: 'U0GONE', by: 'U0APP1', handover: true })]) {
      expect(validateMessageBlocks(m.blocks)).toEqual([]);
      expectSafe(m.blocks, m.text);
      expect(m.text).not.toContain(values.primary);
    }
    for (const m of [reveal, failed]) expect(JSON.stringify(m.blocks)).not.toContain(values.primary);
    expect(JSON.stringify(reveal.blocks)).toContain(`"value":"both:${k.apiKeyId}"`);
    expect(parseHandoverRevealValue(`both:${k.apiKeyId}`)).toEqual({ apiKeyId: k.apiKeyId });
    expect(parseHandoverRevealValue(`primary:${k.apiKeyId}`)).toBeUndefined();
    expect(parseHandoverRevealValue('both:<@U0EVIL>')).toBeUndefined();
    const modal = handoverRevealModal(k, values);
    expect(validateView(modal)).toEqual({ kind: 'ok' });
    expect(modal.submit).toBeUndefined();
    expectSafe(modal.blocks);
    expect(transferredDm(k, { from: 'U0GONE', by: 'U0APP1' }).blocks.map((b) => JSON.stringify(b)).join('')).toContain('stays disabled');
  });
});
