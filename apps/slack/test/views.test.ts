// Every Block Kit builder, fed the largest inputs the app accepts, stays inside Slack's limits (checked with the
// stand-in's validator), and nothing secret-bearing leaks into surfaces that must not carry keys.
import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateView } from '@apikey/slack-testkit';
import { mrkdwnTexts } from './helpers/mrkdwn-texts.ts';
import type { KeyRequest, RequestState } from '../src/store/request-store.ts';
import { buildApprovalMessage, buildReminderMessage } from '../src/blocks/approval-message.ts';
import { buildApproveModal, buildDenyModal, buildNoticeModal } from '../src/blocks/decision-modals.ts';
import { deniedDm, expiredDm, keysDm, loadingModal, pendingDm, revealDm, revealedDm, revealModal } from '../src/blocks/dms.ts';
import { helpMessage, requestListMessage } from '../src/blocks/help.ts';
import { buildHomeView } from '../src/blocks/home.ts';
import { buildRequestModal } from '../src/blocks/request-modal.ts';

const STATES: RequestState[] = ['pending', 'approved', 'created', 'delivered', 'denied', 'expired', 'failed'];
const KEY = { apiKeyId: 'abcdef1234', primaryKey: 'P'.repeat(40), secondaryKey: 'S'.repeat(40) };

function request(state: RequestState, i = 0): KeyRequest {
  return {
    id: `req_${String(i).padStart(20, 'x')}`,
    teamId: 'T1',
    requesterId: 'U0REQ1',
    apiKeyName: '<!channel>&'.repeat(2).slice(0, 20),
    apiKeyDescription: 'd'.repeat(50),
    justification: 'j'.repeat(500),
    state,
    version: 3,
    createdAt: 1_700_000_000_000,
    expiresAt: 1_700_259_200_000,
    decidedBy: 'U0APP1',
    decidedAt: 1_700_000_100_000,
    decisionComment: 'c'.repeat(500),
    apiKeyId: 'abcdef1234',
    attempts: 6,
    lastError: 'NCP API Gateway is failing (HTTP 503)',
  };
}

describe('Block Kit builders', () => {
  it('approval message in every state is valid, escapes mentions, and carries no key', () => {
    for (const state of STATES) {
      const m = buildApprovalMessage(request(state), { maxAttempts: 6, approverMentions: '<@U0APP1> <!subteam^S0GROUP>' });
      expect(validateMessageBlocks(m.blocks), state).toEqual([]);
      // Mentions are parsed in mrkdwn and in the top-level text; plain_text (the header) is shown literally.
      for (const text of [m.text, ...mrkdwnTexts(m.blocks)]) expect(text).not.toContain('<!channel');
      expect(JSON.stringify(m)).not.toContain(KEY.primaryKey);
    }
    expect(validateMessageBlocks(buildReminderMessage(request('pending'), '<@U0APP1>').blocks)).toEqual([]);
  });

  it('modals are valid and carry only the request id in private_metadata', () => {
    for (const view of [buildRequestModal({ name: 'n'.repeat(40) }), buildApproveModal(request('pending')), buildDenyModal(request('pending')), buildNoticeModal('A very long title that exceeds', 'x'), loadingModal(), revealModal(request('delivered'), KEY)]) {
      expect(validateView(view)).toEqual({ kind: 'ok' });
    }
    expect(buildApproveModal(request('pending')).private_metadata).toBe(request('pending').id);
    expect(buildDenyModal(request('pending')).private_metadata).toBe(request('pending').id);
    expect(revealModal(request('delivered'), KEY).private_metadata).toBeUndefined();
    expect(revealModal(request('delivered'), KEY).submit).toBeUndefined();
  });

  it('DMs are valid; the keys are in blocks only, never in the notification text', () => {
    const r = request('delivered');
    for (const m of [pendingDm(r), deniedDm(r), expiredDm(r), keysDm(r, KEY), revealDm(r), revealedDm(r, 1_700_000_200_000)]) {
      expect(validateMessageBlocks(m.blocks)).toEqual([]);
      expect(m.text).not.toContain(KEY.primaryKey);
      expect(m.text).not.toContain(KEY.secondaryKey);
    }
    expect(JSON.stringify(keysDm(r, KEY).blocks)).toContain(KEY.primaryKey);
    expect(JSON.stringify(revealDm(r))).not.toContain(KEY.primaryKey);
  });

  it('Home tab and lists stay within limits with many requests', () => {
    const many = Array.from({ length: 60 }, (_, i) => request(STATES[i % STATES.length]!, i));
    expect(validateView(buildHomeView({ isApprover: true, pending: many, mine: many }), 'home')).toEqual({ kind: 'ok' });
    expect(validateMessageBlocks(requestListMessage(many).blocks)).toEqual([]);
    expect(validateMessageBlocks(requestListMessage([]).blocks)).toEqual([]);
    expect(validateMessageBlocks(helpMessage('<script>').blocks)).toEqual([]);
  });
});
