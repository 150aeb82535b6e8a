// Property: whatever text a request holds — escaping-heavy (`&` grows five-fold), long, control characters,
// lone surrogates, mention syntax — every message and view the app builds passes the stand-in's Block Kit
// validator (so an approve/deny modal always opens), no cut splits an entity, and nothing can ping anyone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMessageBlocks, validateOptionsResponse, validateView } from '@apikey/slack-testkit';
import { mrkdwnTexts } from './helpers/mrkdwn-texts.ts';
import type { KeyRequest, RequestState } from '../src/store/request-store.ts';
import { buildApprovalMessage, buildReminderMessage } from '../src/blocks/approval-message.ts';
import { buildApproveModal, buildDenyModal, buildNoticeModal } from '../src/blocks/decision-modals.ts';
import { deniedDm, expiredDm, keysDm, pendingDm, revealDm, revealedDm, revealModal, type ProductAccess } from '../src/blocks/dms.ts';
import { productOptions } from '../src/listeners/options/product-suggestions.ts';
import { cutMrkdwn, escapeMrkdwn, ncpText, userText } from '../src/blocks/format.ts';
import { helpMessage, requestListMessage } from '../src/blocks/help.ts';
import { buildHomeView } from '../src/blocks/home.ts';
import { buildRequestModal } from '../src/blocks/request-modal.ts';

const STATES: RequestState[] = ['pending', 'approved', 'created', 'delivered', 'denied', 'expired', 'failed'];

const hostileChar = fc.constantFrom('&', '&', '&', '<', '>', '<!channel>', '<@U1>', '*', '_', '~', '`', '\n', '\t', '\u0000', '\u001b[2J', '\u007f', '\u009b', '\ud83d', '\ude00', '😀', 'é', 'a', ' ', '&amp;');
const hostile = (maxLength: number) => fc.array(hostileChar, { maxLength }).map((parts) => parts.join(''));

const request = fc.record({
  state: fc.constantFrom(...STATES),
  apiKeyName: hostile(60),
  apiKeyDescription: hostile(200),
  justification: hostile(1200),
  decisionComment: fc.option(hostile(1200), { nil: undefined }),
  lastError: fc.option(hostile(1500), { nil: undefined }),
  apiKeyId: fc.option(hostile(40), { nil: undefined }),
  productId: fc.option(hostile(40).filter((x) => x.length > 0), { nil: undefined }),
  productName: fc.option(hostile(300), { nil: undefined }),
  status: fc.option(fc.oneof(fc.constantFrom('ACCEPTED', 'REQUEST'), hostile(30)), { nil: undefined }),
  urls: fc.array(hostile(400), { maxLength: 14 }),
}).map((f): KeyRequest & { access: ProductAccess } => ({
  id: 'req_abcdefghijklmnopqrst',
  teamId: 'T1',
  requesterId: 'U0REQ1',
  apiKeyName: f.apiKeyName,
  apiKeyDescription: f.apiKeyDescription,
  justification: f.justification,
  state: f.state,
  version: 2,
  createdAt: 1_700_000_000_000,
  expiresAt: 1_700_259_200_000,
  decidedBy: 'U0APP1',
  decidedAt: 1_700_000_100_000,
  attempts: 3,
  ...(f.decisionComment !== undefined ? { decisionComment: f.decisionComment } : {}),
  ...(f.lastError !== undefined ? { lastError: f.lastError } : {}),
  ...(f.apiKeyId !== undefined ? { apiKeyId: f.apiKeyId } : {}),
  ...(f.productId !== undefined ? { productId: f.productId } : {}),
  ...(f.productName !== undefined ? { productName: f.productName } : {}),
  access: { status: f.status, urls: f.urls },
}));

const KEY = { apiKeyId: 'abcdef1234', primaryKey: 'P'.repeat(40), secondaryKey: 'S'.repeat(40) };

/** No `<` other than our own tokens (user mentions by id, dates, approver mentions) and no cut entity. */
function expectSafeMrkdwn(text: string): void {
  expect(text.replace(/<@U[A-Z0-9]+>|<!date\^[^>]*>|<!subteam\^[A-Z0-9]+>|^> /gm, '')).not.toMatch(/[<>]/);
  expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

describe('Block Kit builders over hostile text', () => {
  it('product suggestions from hostile NCP names stay within Slack\'s limits, with control characters shown, never acted on', () => {
    const product = fc.record({ productId: fc.stringMatching(/^[a-z0-9]{10}$/), productName: hostile(200), own: fc.boolean(), access: fc.constantFrom('PUBLIC', 'PROTECTED') });
    fc.assert(fc.property(fc.array(product, { maxLength: 130 }), hostile(5), (products, typed) => {
      const options = productOptions(products, typed);
      expect(validateOptionsResponse({ options })).toEqual([]);
      for (const o of options) expect(o.text.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }), { numRuns: 100 });
  });

  it('every message is valid and safe', () => {
    fc.assert(fc.property(request, (r) => {
      const messages = [
        buildApprovalMessage(r, { maxAttempts: 6, approverMentions: '<@U0APP1> <!subteam^S0GROUP>' }),
        buildReminderMessage(r, '<@U0APP1>'),
        pendingDm(r), deniedDm(r), expiredDm(r), keysDm(r, KEY), keysDm(r, KEY, r.access), revealDm(r), revealDm(r, r.access), revealedDm(r, 1_700_000_200_000),
        requestListMessage(Array.from({ length: 40 }, () => r)),
        helpMessage(r.apiKeyName.repeat(50)),
      ];
      for (const m of messages) {
        expect(validateMessageBlocks(m.blocks)).toEqual([]);
        expect(m.text.length).toBeLessThanOrEqual(40_000);
        for (const t of mrkdwnTexts(m.blocks)) expectSafeMrkdwn(t);
      }
    }), { numRuns: 150 });
  });

  it('the approve and deny modals always open, and every other view is valid', () => {
    fc.assert(fc.property(request, hostile(400), (r, notice) => {
      const views = [
        buildApproveModal(r), buildDenyModal(r), revealModal(r, KEY), buildRequestModal({ name: r.justification }),
        buildNoticeModal(notice, ncpText(notice, 3000)),
      ];
      for (const v of views) {
        expect(validateView(v)).toEqual({ kind: 'ok' });
        for (const t of mrkdwnTexts(v.blocks)) expectSafeMrkdwn(t);
      }
      expect(validateView(buildHomeView({ isApprover: true, pending: Array.from({ length: 20 }, () => r), mine: Array.from({ length: 20 }, () => r) }), 'home')).toEqual({ kind: 'ok' });
    }), { numRuns: 150 });
  });

  it('cutting escaped text never splits an entity or a surrogate pair and keeps within the limit', () => {
    fc.assert(fc.property(hostile(800), fc.integer({ min: 2, max: 3000 }), (raw, max) => {
      const escaped = escapeMrkdwn(raw);
      const cut = cutMrkdwn(escaped, max);
      expect(userText(raw, max).length).toBeLessThanOrEqual(max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/&(?!amp;|lt;|gt;)/);
      if (escaped.length <= max) {
        expect(cut).toBe(escaped);
        return;
      }
      expect(cut.endsWith('…')).toBe(true);
      const body = cut.slice(0, -1);
      expect(escaped.startsWith(body)).toBe(true);
      const prev = body.charCodeAt(body.length - 1);
      const next = escaped.charCodeAt(body.length);
      expect(prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff).toBe(false);
    }), { numRuns: 500 });
  });

  it('escapes a reminder once: "&" reads "&amp;", not "&amp;amp;"', () => {
    const r = { id: 'req_x', teamId: 'T', requesterId: 'U1', apiKeyName: 'a&b', apiKeyDescription: '', justification: 'j', state: 'pending', version: 1, createdAt: 0, expiresAt: 1, attempts: 0 } satisfies KeyRequest;
    const m = buildReminderMessage(r, '');
    expect(m.text).toContain('"a&amp;b"');
    expect(JSON.stringify(m.blocks)).toContain('a&amp;b');
    expect(JSON.stringify(m)).not.toContain('&amp;amp;');
    expect(cutMrkdwn('x&amp;y', 4)).toBe('x…');
  });
});
