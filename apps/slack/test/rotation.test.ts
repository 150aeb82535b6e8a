// Key rotation end to end: /apikey rotate and the Rotate button start it, the secondary is regenerated and
// delivered (DM or one-time reveal), "Clients use the new secondary" regenerates the primary. Real Bolt app,
// Slack stand-in and NCP emulator over loopback HTTP; the emulator's request log counts the regenerations and
// its data plane shows which values work. Every value ever issued is checked against logs, channel messages,
// the audit log and the outbox.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiGatewayClient } from '@apikey/core';
import { type MessageRef, type SlackStandIn, type StoredMessage, validateMessageBlocks, validateView } from '@apikey/slack-testkit';
import type { WebClient } from '../src/bolt.ts';
import {
  parseRevealRotatedValue,
  rotatedKeyDm,
  rotatedRevealDm,
  rotatedRevealedDm,
  rotatedRevealModal,
  rotationFailedDm,
  rotationReply,
} from '../src/blocks/rotation.ts';
import { loadConfig } from '../src/config.ts';
import { createRotateButtonHandler, type RotateButtonArgs } from '../src/listeners/actions/rotate.ts';
import { createAfterAck } from '../src/listeners/after-ack.ts';
import { handleRotateCommand, type RotateCommandArgs } from '../src/listeners/commands/rotate.ts';
import { createLogger } from '../src/logger.ts';
import { openRequestStore } from '../src/store/open-store.ts';
import type { RegisteredKey } from '../src/store/key-registry.ts';
import type { RequestStore } from '../src/store/request-store.ts';
import type { WorkflowContext } from '../src/workflow/context.ts';
import { confirmSecondary, fingerprintOf, handleRotateStep, startRotation } from '../src/workflow/rotate.ts';
import { mrkdwnTexts } from './helpers/mrkdwn-texts.ts';
import {
  APPROVER,
  APPROVER_CHANNEL,
  OUTSIDER,
  decideViaSlack,
  expectNoSecretsInLogs,
  startApp,
  submitRequest,
  waitFor,
  useServers,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';
import { emulatorKey as emulatorKeyOf, processedWrites } from './helpers/keys.ts';

let standIn: SlackStandIn;
let ncp: Ncp;
const apps: AppInstance[] = [];
/** Every key value the emulator ever held for a key of these tests (old and new). */
const seenValues = new Set<string>();

useServers((s) => ({ standIn, ncp } = s));
afterAll(async () => {
  for (const a of [...apps]) await retire(a);
});

/** Stops an app ("crash" in the tests that stop it early) and checks its logs for every value ever issued. */
async function retire(a: AppInstance): Promise<void> {
  apps.splice(apps.indexOf(a), 1);
  await a.stop();
  expectNoSecretsInLogs(a, ncp);
  const logs = a.logs.join('\n');
  expect([...seenValues].filter((v) => logs.includes(v))).toEqual([]);
}

async function app(o: Omit<Parameters<typeof startApp>[0], 'standIn' | 'ncp'> = {}): Promise<AppInstance> {
  const a = await startApp({ standIn, ncp, ...o });
  apps.push(a);
  return a;
}

let userSeq = 0;
/** A fresh owner per test, so DMs do not mix. */
const owner = () => `U0ROT${String(++userSeq).padStart(3, '0')}`;

const emulatorKey = (apiKeyId: string) => emulatorKeyOf(ncp, apiKeyId, seenValues);

/** Regenerations NCP processed for a key. */
const patchesOf = (apiKeyId: string) => processedWrites(ncp, apiKeyId, 'PATCH');

/** A key issued the usual way (request → approve → delivered) for weatherpub, so its values work on the data plane. */
async function issueKey(a: AppInstance, userId: string, name: string): Promise<{ key: RegisteredKey; stageUrl: string }> {
  const { request, message } = await submitRequest(a, standIn, { userId, name, product: 'weatherpub' });
  await decideViaSlack(a, standIn, { userId: APPROVER, message, decision: 'approve' });
  const delivered = await waitFor('delivered', async () => {
    const r = await a.store.getRequest(request.id);
    return r?.state === 'delivered' ? r : undefined;
  }, 20_000);
  const key = await a.store.getKey(delivered.apiKeyId!);
  expect(key?.ownerId).toBe(userId);
  emulatorKey(key!.apiKeyId);
  const dm = standIn.dms(userId).find((m) => JSON.stringify(m.blocks).includes('weatherpub'));
  const stageUrl = /• `(http[^`]+)`/.exec(JSON.stringify(dm?.blocks))?.[1];
  if (stageUrl === undefined) throw new Error('no stage URL in the key DM');
  return { key: key!, stageUrl };
}

const gateway = async (url: string, value: string) => (await fetch(url, { headers: { 'x-ncp-apigw-api-key': value } })).status;

/** Runs `/apikey <text>` and resolves with the ephemeral reply it produced. */
async function command(a: AppInstance, userId: string, text: string) {
  const before = standIn.ephemerals(userId).length;
  const res = await a.driver.slashCommand({ userId, text });
  expect(res.status).toBe(200);
  return waitFor(`reply to /apikey ${text}`, () => standIn.ephemerals(userId)[before]);
}

/** Clicks a button and resolves with the notice window the app opened in answer. */
async function click(a: AppInstance, userId: string, actionId: string, message: MessageRef) {
  const before = new Set(standIn.views(userId).map((v) => v.id));
  const res = await a.driver.blockAction({ userId, actionId, message });
  expect(res.status).toBe(200);
  return waitFor(`window after ${actionId}`, () => standIn.views(userId).find((v) => !before.has(v.id)));
}

/** What a person reads: a message's text and blocks, a window's title and blocks. */
const textOf = (x: { blocks?: unknown; text?: string; title?: unknown } | undefined) => `${x?.text ?? ''} ${JSON.stringify(x?.title ?? '')} ${JSON.stringify(x?.blocks ?? [])}`;

/** The rotation DM for `part`, the n-th one of that part this owner got (0: first). */
function rotationDm(userId: string, part: 'secondary' | 'primary', n = 0): StoredMessage | undefined {
  return standIn.dms(userId).filter((m) => m.text?.includes(`The ${part} key of your API key`))[n];
}

function valueIn(x: { blocks?: unknown } | undefined, part: 'secondary' | 'primary'): string {
  const v = new RegExp(`New ${part} key\\*\\\\n\`([A-Za-z0-9]+)\``).exec(JSON.stringify(x?.blocks ?? []))?.[1];
  if (v === undefined) throw new Error(`no new ${part} value shown`);
  return v;
}

/** A message holding the Rotate button (as My keys and reminders render it), posted to the user's DM. */
async function rotateButtonFor(a: AppInstance, userId: string, apiKeyId: string): Promise<StoredMessage> {
  const res = await a.slack.app.client.chat.postMessage({
    channel: userId,
    text: 'your key',
    blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'rotate', text: { type: 'plain_text', text: 'Rotate' }, value: apiKeyId }] }],
  });
  return waitFor('rotate button message', () => standIn.dms(userId).find((m) => m.ts === res.ts));
}

const auditTypes = async (a: AppInstance, key: RegisteredKey) => (await a.store.listAudit(key.requestId)).map((e) => e.type);

/** No value in any channel message, any chat/views call's notification text, the audit log or the outbox. */
async function expectNoValuesOutsideTheOwnersDms(a: AppInstance, key: RegisteredKey): Promise<void> {
  const values = [...seenValues];
  for (const m of standIn.messages(APPROVER_CHANNEL)) expect(values.filter((v) => textOf(m).includes(v))).toEqual([]);
  for (const call of standIn.calls()) {
    if (call.method.startsWith('chat.')) expect(values.filter((v) => String(call.args['text'] ?? '').includes(v))).toEqual([]);
  }
  const stored = JSON.stringify([await a.store.listAudit(key.requestId), await a.store.listOutbox(key.requestId), await a.store.getKey(key.apiKeyId)]);
  expect(values.filter((v) => stored.includes(v))).toEqual([]);
}

describe('rotation, DM delivery', { timeout: 120_000 }, () => {
  let a: AppInstance;
  beforeAll(async () => {
    a = await app();
  });

  it('secondary first, confirm, then primary: each delivered value is what NCP now holds, the replaced one stops working, one PATCH each', async () => {
    const userId = owner();
    const { key, stageUrl } = await issueKey(a, userId, 'rot-dm');
    const old = emulatorKey(key.apiKeyId);
    expect(await gateway(stageUrl, old.secondaryKey)).toBe(200);

    const from = ncp.emulator.inspect.requests().length;
    const reply = await command(a, userId, `rotate ${key.apiKeyId}`);
    expect(reply.text).toContain('Rotation started');
    expect(textOf(reply)).toContain('the secondary key is regenerated first');

    const dm = await waitFor('secondary DM', () => rotationDm(userId, 'secondary'));
    const secondary = valueIn(dm, 'secondary');
    const now1 = emulatorKey(key.apiKeyId);
    expect(secondary).toBe(now1.secondaryKey);
    expect(secondary).not.toBe(old.secondaryKey);
    expect(now1.primaryKey).toBe(old.primaryKey);
    expect(dm.text).not.toContain(secondary);
    expect(JSON.stringify(dm.blocks)).toContain('"action_id":"rotate_primary"');
    expect(await gateway(stageUrl, old.secondaryKey)).toBe(401);
    expect(await gateway(stageUrl, secondary)).toBe(200);
    expect(await gateway(stageUrl, old.primaryKey)).toBe(200);
    const waiting = await waitFor('awaiting_primary', async () => {
      const k = await a.store.getKey(key.apiKeyId);
      return k?.rotationStep === 'awaiting_primary' ? k : undefined;
    });
    expect(waiting.rotatedAt).toBeTypeOf('number');
    expect(waiting.rotationFingerprint).toBeUndefined();

    const confirmed = await click(a, userId, 'rotate_primary', dm);
    expect(textOf(confirmed)).toContain('primary key of');
    const dm2 = await waitFor('primary DM', () => rotationDm(userId, 'primary'));
    const primary = valueIn(dm2, 'primary');
    const now2 = emulatorKey(key.apiKeyId);
    expect(primary).toBe(now2.primaryKey);
    expect(now2.secondaryKey).toBe(secondary);
    expect(dm2.text).toContain('Rotation complete');
    expect(dm2.text).not.toContain(primary);
    expect(await gateway(stageUrl, old.primaryKey)).toBe(401);
    expect(await gateway(stageUrl, primary)).toBe(200);

    const done = await waitFor('rotation done', async () => {
      const k = await a.store.getKey(key.apiKeyId);
      return k !== undefined && k.rotationStep === undefined && k.rotatedAt !== waiting.rotatedAt ? k : undefined;
    });
    expect([done.rotationBy, done.rotationStartedAt, done.rotationFingerprint, done.state]).toEqual([undefined, undefined, undefined, 'active']);
    expect(patchesOf(key.apiKeyId)).toHaveLength(2);
    // What a whole rotation costs NCP: per value one read (the fingerprint) and one regenerate; the new value
    // comes from the regenerate's answer.
    expect(ncp.emulator.inspect.requests().slice(from).filter((r) => r.target.startsWith('/api/v1/')).map((r) => `${r.method} ${r.target}`)).toEqual([
      `GET /api/v1/api-keys/${key.apiKeyId}`, `PATCH /api/v1/api-keys/${key.apiKeyId}`,
      `GET /api/v1/api-keys/${key.apiKeyId}`, `PATCH /api/v1/api-keys/${key.apiKeyId}`,
    ]);
    const types = await auditTypes(a, key);
    expect(types.slice(types.indexOf('rotation_started'))).toEqual([
      'rotation_started', 'regenerating', 'secondary_regenerated', 'secondary_delivered',
      'primary_confirmed', 'regenerating', 'primary_regenerated', 'rotation_done',
    ]);
    // The request that made the key is untouched.
    expect((await a.store.getRequest(key.requestId))?.state).toBe('delivered');
    await expectNoValuesOutsideTheOwnersDms(a, key);
  });

  it('refuses hostile or wrong input, strangers and dead keys with a clear message, and changes nothing', async () => {
    const userId = owner();
    const { key } = await issueKey(a, userId, 'rot-refuse');
    const before = await a.store.getKey(key.apiKeyId);

    expect((await command(a, userId, 'rotate')).text).toContain('Usage: `/apikey rotate &lt;key id&gt;`');
    expect((await command(a, userId, `rotate ${key.apiKeyId} extra`)).text).toContain('Usage');
    const hostile = await command(a, userId, 'rotate <!channel>*x*');
    expect(textOf(hostile)).toContain('&lt;!channel&gt;');
    expect(textOf(hostile)).not.toContain('<!channel>');
    expect(textOf(hostile)).toContain('is not an API key id');
    expect(textOf(await command(a, userId, 'rotate nosuchkey123'))).toContain('No key with id `nosuchkey123`');

    const stranger = await command(a, OUTSIDER, `rotate ${key.apiKeyId}`);
    expect(textOf(stranger)).toContain(`Only the key's owner (<@${userId}>) or an approver`);
    const button = await rotateButtonFor(a, userId, key.apiKeyId);
    // Someone else clicking it (a forwarded payload): refused in a window.
    expect(textOf(await click(a, OUTSIDER, 'rotate', button))).toContain('Only the key');

    await a.store.updateKey(key.apiKeyId, { state: 'disabled' });
    expect(textOf(await command(a, userId, `rotate ${key.apiKeyId}`))).toContain('is disabled; only an active key can be rotated');
    await new Promise((r) => setTimeout(r, 300));
    const after = await a.store.getKey(key.apiKeyId);
    expect(after?.rotationStep).toBeUndefined();
    expect(after?.version).toBe(before!.version + 1); // only the test's own state change
    expect(patchesOf(key.apiKeyId)).toEqual([]);
    expect((await a.store.listOutbox(key.requestId)).filter((i) => i.kind === 'rotate_key')).toEqual([]);
    expect(await auditTypes(a, key)).not.toContain('rotation_started');
  });

  it('an approver may rotate someone else\'s key: the values go to the owner only; a stranger cannot confirm', async () => {
    const userId = owner();
    const { key } = await issueKey(a, userId, 'rot-appr');
    const approverDms = standIn.dms(APPROVER).length;
    expect((await command(a, APPROVER, `rotate ${key.apiKeyId}`)).text).toContain('Rotation started');
    const dm = await waitFor('secondary DM to the owner', () => rotationDm(userId, 'secondary'));
    expect(textOf(dm)).toContain(`rotation started by <@${APPROVER}>`);
    expect(valueIn(dm, 'secondary')).toBe(emulatorKey(key.apiKeyId).secondaryKey);
    await waitFor('awaiting_primary', async () => ((await a.store.getKey(key.apiKeyId))?.rotationStep === 'awaiting_primary' ? true : undefined));

    // The stranger's click on the owner's confirm button (forged payload) changes nothing.
    expect(textOf(await click(a, OUTSIDER, 'rotate_primary', dm))).toContain('Only the key');
    expect((await a.store.getKey(key.apiKeyId))?.rotationStep).toBe('awaiting_primary');

    // The approver asks again: told it waits for confirmation, with the button, and confirms from there.
    const again = await command(a, APPROVER, `rotate ${key.apiKeyId}`);
    expect(again.text).toContain('Waiting for confirmation');
    await click(a, APPROVER, 'rotate_primary', again);
    const dm2 = await waitFor('primary DM to the owner', () => rotationDm(userId, 'primary'));
    expect(valueIn(dm2, 'primary')).toBe(emulatorKey(key.apiKeyId).primaryKey);
    expect(standIn.dms(APPROVER).slice(approverDms).filter((m) => [...seenValues].some((v) => textOf(m).includes(v)))).toEqual([]);
    expect(patchesOf(key.apiKeyId)).toHaveLength(2);
  });

  it('two clicks at once on two replicas start one rotation; two confirms regenerate the primary once', async () => {
    const userId = owner();
    const store = await openRequestStore({ dataDir: 'memory://' });
    try {
      const one = await app({ store, workerId: 'replica-1' });
      const two = await app({ store, workerId: 'replica-2' });
      const { key } = await issueKey(one, userId, 'rot-twice');
      const button = await rotateButtonFor(one, userId, key.apiKeyId);
      const before = new Set(standIn.views(userId).map((v) => v.id));
      await Promise.all([
        one.driver.blockAction({ userId, actionId: 'rotate', message: button }),
        two.driver.blockAction({ userId, actionId: 'rotate', message: button }),
        one.driver.blockAction({ userId, actionId: 'rotate', message: button }),
      ]);
      const windows = await waitFor('three answers', () => {
        const v = standIn.views(userId).filter((x) => !before.has(x.id));
        return v.length === 3 ? v : undefined;
      });
      expect(windows.filter((w) => textOf(w).includes('Rotation started')), windows.map(textOf).join('\n')).toHaveLength(1);
      const dm = await waitFor('secondary DM', () => rotationDm(userId, 'secondary'));
      await waitFor('awaiting_primary', async () => ((await store.getKey(key.apiKeyId))?.rotationStep === 'awaiting_primary' ? true : undefined));

      await Promise.all([
        one.driver.blockAction({ userId, actionId: 'rotate_primary', message: dm }),
        two.driver.blockAction({ userId, actionId: 'rotate_primary', message: dm }),
      ]);
      await waitFor('primary DM', () => rotationDm(userId, 'primary'));
      await waitFor('rotation done', async () => ((await store.getKey(key.apiKeyId))?.rotationStep === undefined ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(patchesOf(key.apiKeyId)).toHaveLength(2);
      expect(rotationDm(userId, 'secondary', 1)).toBeUndefined();
      expect(rotationDm(userId, 'primary', 1)).toBeUndefined();
      const types = await auditTypes(one, key);
      expect(types.filter((t) => t === 'rotation_started')).toHaveLength(1);
      expect(types.filter((t) => t === 'primary_confirmed')).toHaveLength(1);
      expect(valueIn(rotationDm(userId, 'primary'), 'primary')).toBe(emulatorKey(key.apiKeyId).primaryKey);
    } finally {
      for (const x of apps.slice(-2)) await retire(x);
      await store.close();
    }
  });
});

describe('rotation, reveal delivery', { timeout: 120_000 }, () => {
  let a: AppInstance;
  beforeAll(async () => {
    a = await app({ env: { APIKEY_DELIVERY: 'reveal' } });
  });

  async function reveal(userId: string, dm: StoredMessage) {
    const before = new Set(standIn.views(userId).map((v) => v.id));
    await a.driver.blockAction({ userId, actionId: 'reveal_rotated', message: dm });
    return waitFor('settled reveal window', () => {
      const v = standIn.views(userId).find((x) => !before.has(x.id));
      return v !== undefined && !textOf(v).includes('Fetching your key') ? v : undefined;
    });
  }

  /** A click from a stale client that still shows a button the app has since removed from the message. */
  async function staleClick(userId: string, actionId: string, value: string, dm: StoredMessage) {
    const before = new Set(standIn.views(userId).map((v) => v.id));
    const res = await a.driver.staleBlockAction({ userId, actionId, value, message: dm });
    expect(res.status).toBe(200);
    return waitFor('answer to the stale click', () => standIn.views(userId).find((v) => !before.has(v.id)));
  }

  it('delivers each new value once, in a window only the owner can open; confirm waits until the secondary was revealed', async () => {
    const userId = owner();
    const { key, stageUrl } = await issueKey(a, userId, 'rot-reveal');
    const old = emulatorKey(key.apiKeyId);
    expect((await command(a, userId, `rotate ${key.apiKeyId}`)).text).toContain('Rotation started');
    const dm = await waitFor('secondary reveal DM', () => rotationDm(userId, 'secondary'));
    expect(dm.text).toContain('Reveal it once');
    await waitFor('awaiting_primary', async () => ((await a.store.getKey(key.apiKeyId))?.rotationStep === 'awaiting_primary' ? true : undefined));
    const now1 = emulatorKey(key.apiKeyId);
    expect(now1.secondaryKey).not.toBe(old.secondaryKey);
    expect(textOf(dm)).not.toContain(now1.secondaryKey);

    // Confirming before anyone could have moved clients to the new value is refused.
    expect(textOf(await click(a, userId, 'rotate_primary', dm))).toContain('was not revealed yet');
    expect(patchesOf(key.apiKeyId)).toHaveLength(1);
    // Someone else pressing Reveal gets nothing, and the reveal stays available.
    const stranger = await reveal(OUTSIDER, dm);
    expect(textOf(stranger)).toContain('Only the key\'s owner');
    expect(textOf(stranger)).not.toContain(now1.secondaryKey);

    const shown = await reveal(userId, dm);
    expect(valueIn(shown, 'secondary')).toBe(now1.secondaryKey);
    expect(shown.submit).toBeUndefined();
    await waitFor('reveal spent', async () => (await a.store.getKey(key.apiKeyId))?.revealedAt);
    const replay = await staleClick(userId, 'reveal_rotated', `secondary:${key.apiKeyId}`, dm);
    expect(textOf(replay)).toContain('Already revealed');
    expect(textOf(replay)).not.toContain(now1.secondaryKey);
    const marked = await waitFor('DM marked revealed', () => {
      const m = standIn.dms(userId).find((x) => x.ts === dm.ts);
      return m?.text?.includes('was revealed') ? m : undefined;
    });
    expect(JSON.stringify(marked.blocks)).not.toContain('"action_id":"reveal_rotated"');
    expect(await gateway(stageUrl, now1.secondaryKey)).toBe(200);
    expect(await gateway(stageUrl, old.secondaryKey)).toBe(401);

    await click(a, userId, 'rotate_primary', marked);
    const dm2 = await waitFor('primary reveal DM', () => rotationDm(userId, 'primary'));
    await waitFor('rotation done', async () => ((await a.store.getKey(key.apiKeyId))?.rotationStep === undefined ? true : undefined));
    // A new rotation before the new primary was seen would leave the owner with no known working value.
    expect(textOf(await command(a, userId, `rotate ${key.apiKeyId}`))).toContain('was never revealed');
    const shown2 = await reveal(userId, dm2);
    const now2 = emulatorKey(key.apiKeyId);
    expect(valueIn(shown2, 'primary')).toBe(now2.primaryKey);
    expect(now2.primaryKey).not.toBe(old.primaryKey);
    expect(await gateway(stageUrl, old.primaryKey)).toBe(401);
    expect(patchesOf(key.apiKeyId)).toHaveLength(2);
    for (const m of standIn.dms(userId)) expect([...seenValues].filter((v) => textOf(m).includes(v))).toEqual([]);
    const types = await auditTypes(a, key);
    expect(types.filter((t) => t === 'rotation_revealed')).toHaveLength(2);
    await expectNoValuesOutsideTheOwnersDms(a, key);
  });
});

describe('rotation, crashes and give-ups', { timeout: 180_000 }, () => {
  let store: RequestStore;
  beforeAll(async () => {
    store = await openRequestStore({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    for (const a of apps.filter((x) => x.store === store)) await retire(a);
    await store?.close();
  });
  // Enough attempts that a step is still being retried (not given up) when the fault clears.
  const PATIENT = { APIKEY_MAX_ATTEMPTS: '100' };

  it('a regenerate whose answer was lost is not sent again: the retry sees the value changed and delivers it', async () => {
    const a = await app({ store, env: PATIENT });
    const userId = owner();
    const { key } = await issueKey(a, userId, 'rot-lost');
    ncp.emulator.setFaults({ commitThenFail: { rate: 1, mode: '503' }, only: { method: 'PATCH' } });
    try {
      await command(a, userId, `rotate ${key.apiKeyId}`);
      await waitFor('PATCH landed', () => (patchesOf(key.apiKeyId).length > 0 ? true : undefined));
      const dm = await waitFor('secondary DM', () => rotationDm(userId, 'secondary'), 20_000);
      expect(valueIn(dm, 'secondary')).toBe(emulatorKey(key.apiKeyId).secondaryKey);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    expect(patchesOf(key.apiKeyId)).toHaveLength(1);
    const audit = await store.listAudit(key.requestId);
    expect(audit.filter((e) => e.type === 'secondary_regenerated').map((e) => e.detail)).toEqual([{ apiKeyId: key.apiKeyId, seenOnRetry: true }]);
  });

  it('a regenerate NCP refused is sent again, once, when NCP recovers', async () => {
    const a = await app({ store, env: PATIENT });
    const userId = owner();
    const { key } = await issueKey(a, userId, 'rot-refused');
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'PATCH' } });
    try {
      await command(a, userId, `rotate ${key.apiKeyId}`);
      await waitFor('a refused PATCH', () => ncp.emulator.inspect.requests().find((r) => r.method === 'PATCH' && r.target.endsWith(key.apiKeyId)));
      expect((await store.getKey(key.apiKeyId))?.rotationFingerprint).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const dm = await waitFor('secondary DM', () => rotationDm(userId, 'secondary'), 20_000);
    expect(valueIn(dm, 'secondary')).toBe(emulatorKey(key.apiKeyId).secondaryKey);
    expect(patchesOf(key.apiKeyId)).toHaveLength(1);
  });

  it('a crash after the PATCH, before the DM, and a crash between the two regenerations: each value regenerated once', async () => {
    const first = await app({ store, env: PATIENT, workerId: 'crashing' });
    const userId = owner();
    const { key } = await issueKey(first, userId, 'rot-crash');
    // Slack refuses the DM: the step regenerated the secondary, then fails, and the process goes away.
    standIn.fail('chat.postMessage', 'fatal_error');
    try {
      await command(first, userId, `rotate ${key.apiKeyId}`);
      await waitFor('PATCH landed', () => (patchesOf(key.apiKeyId).length > 0 ? true : undefined));
      await waitFor('step failing on the DM', async () => ((await store.listOutbox(key.requestId)).find((i) => i.kind === 'rotate_key' && i.lastError !== undefined)));
      await retire(first);
    } finally {
      standIn.clearFaults('chat.postMessage');
    }
    const from = ncp.emulator.inspect.requests().length;
    const second = await app({ store, env: PATIENT, workerId: 'restarted' });
    const dm = await waitFor('secondary DM', () => rotationDm(userId, 'secondary'), 20_000);
    expect(valueIn(dm, 'secondary')).toBe(emulatorKey(key.apiKeyId).secondaryKey);
    // Memory did not survive: the value was read from NCP (which is also how the step knew the PATCH landed).
    expect(ncp.emulator.inspect.requests().slice(from).filter((r) => r.method === 'GET' && r.target === `/api/v1/api-keys/${key.apiKeyId}`)).toHaveLength(1);
    await waitFor('awaiting_primary', async () => ((await store.getKey(key.apiKeyId))?.rotationStep === 'awaiting_primary' ? true : undefined));
    await retire(second);

    // Between the regenerations: a third process picks up the confirmation.
    const third = await app({ store, env: PATIENT, workerId: 'third' });
    await click(third, userId, 'rotate_primary', dm);
    const dm2 = await waitFor('primary DM', () => rotationDm(userId, 'primary'), 20_000);
    expect(valueIn(dm2, 'primary')).toBe(emulatorKey(key.apiKeyId).primaryKey);
    await waitFor('rotation done', async () => ((await store.getKey(key.apiKeyId))?.rotationStep === undefined ? true : undefined));
    expect(patchesOf(key.apiKeyId)).toHaveLength(2);
    expect(rotationDm(userId, 'secondary', 1)).toBeUndefined();
    await expectNoValuesOutsideTheOwnersDms(third, key);
  });

  it('stopping while a regenerate is in flight keeps the step\'s lease, so no other replica sends the PATCH again meanwhile', async () => {
    const a = await app({ store, env: PATIENT, workerId: 'stopping' });
    const userId = owner();
    const { key } = await issueKey(a, userId, 'rot-stop');
    ncp.emulator.setFaults({ latency: { fixedMs: 1500 }, only: { method: 'PATCH' } });
    try {
      await command(a, userId, `rotate ${key.apiKeyId}`);
      await waitFor('PATCH in flight', () => ncp.emulator.inspect.requests().find((r) => r.method === 'PATCH' && r.target.endsWith(key.apiKeyId)));
      await a.slack.worker.stop({ graceMs: 50 });
      const item = (await store.listOutbox(key.requestId)).find((i) => i.kind === 'rotate_key')!;
      expect(item.lockedBy).toBe('stopping');
      expect(item.lockedUntil! - Date.now()).toBeGreaterThan(60_000);
      // The PATCH still lands and the step, still running, delivers it: one regeneration, one DM.
      await waitFor('secondary DM', () => rotationDm(userId, 'secondary'), 20_000);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    expect(valueIn(rotationDm(userId, 'secondary'), 'secondary')).toBe(emulatorKey(key.apiKeyId).secondaryKey);
    expect(patchesOf(key.apiKeyId)).toHaveLength(1);
  });

  it('a step that gives up is audited, the owner is told, the request is untouched, and /apikey rotate continues it exactly', async () => {
    const a = await app({ store, env: { APIKEY_MAX_ATTEMPTS: '2' } });
    const userId = owner();
    const { key } = await issueKey(a, userId, 'rot-giveup');
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'PATCH' } });
    try {
      await command(a, userId, `rotate ${key.apiKeyId}`);
      const told = await waitFor('give-up DM', () => standIn.dms(userId).find((m) => m.text?.includes('stopped while regenerating the secondary')), 20_000);
      expect(textOf(told)).toContain(`/apikey rotate ${key.apiKeyId}`);
      // Still in progress? No: nothing is queued, so asking again continues it.
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    await waitFor('rotation_failed audited', async () => ((await auditTypes(a, key)).includes('rotation_failed') ? true : undefined));
    const stalled = await store.getKey(key.apiKeyId);
    expect(stalled?.rotationStep).toBe('secondary');
    expect((await store.getRequest(key.requestId))?.state).toBe('delivered');
    expect(patchesOf(key.apiKeyId)).toEqual([]);

    expect((await command(a, userId, `rotate ${key.apiKeyId}`)).text).toContain('Rotation continues');
    const dm = await waitFor('secondary DM', () => rotationDm(userId, 'secondary'), 20_000);
    expect(valueIn(dm, 'secondary')).toBe(emulatorKey(key.apiKeyId).secondaryKey);
    expect(patchesOf(key.apiKeyId)).toHaveLength(1);
    expect(await auditTypes(a, key)).toContain('rotation_resumed');
  });
});

describe('rotation step and command, called directly (real store; fake NCP, Slack client, ack and respond)', () => {
  const T = 'T0UNIT';
  const OWNER = 'U0OWN1';
  let store: RequestStore;
  beforeAll(async () => {
    store = await openRequestStore({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  /** An NCP whose key values change on every regenerate that "lands"; counts them. */
  function fakeNcp(apiKeyId: string) {
    const key = { apiKeyId, primaryKey: 'P0value', secondaryKey: 'S0value' };
    let regenerations = 0;
    const ncpClient = {
      getApiKey: async () => ({ ...key }),
      regenerateApiKey: async (_id: string, type: 'PRIMARY' | 'SECONDARY') => {
        regenerations++;
        if (type === 'SECONDARY') key.secondaryKey = `S${regenerations}value`;
        else key.primaryKey = `P${regenerations}value`;
        return { ...key };
      },
    };
    return { ncpClient: ncpClient as unknown as ApiGatewayClient, key, regenerations: () => regenerations };
  }

  /** A Slack client whose chat.postMessage fails the first `failFirst` times (as Slack being down would). */
  function fakeClient(failFirst = 0) {
    const posts: Record<string, unknown>[] = [];
    let failures = 0;
    const client = {
      chat: {
        postMessage: async (args: Record<string, unknown>) => {
          if (failures++ < failFirst) throw new Error('An API error occurred: fatal_error');
          posts.push(args);
          return { ok: true, channel: 'D0OWN1', ts: '1.0' };
        },
      },
    };
    return { client: client as unknown as WebClient, posts };
  }

  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-unit-test-token', SLACK_SIGNING_SECRET: 'unit-test-signing-secret-0123', APIKEY_APPROVER_CHANNEL: 'C0APPROVE', APIKEY_APPROVERS: 'U0APP1' });
  const logs: string[] = [];
  function ctxWith(o: { ncp: ApiGatewayClient; client: WebClient }): WorkflowContext {
    return {
      config,
      store,
      ncp: o.ncp,
      client: o.client,
      logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
      approvers: { isApprover: async (user: string) => user === 'U0APP1', mentions: () => '' },
      now: Date.now,
      wake: () => {},
    } as unknown as WorkflowContext;
  }

  let seq = 0;
  async function registered(): Promise<RegisteredKey> {
    const now = Date.now();
    const request = await store.createRequest({ teamId: T, requesterId: OWNER, apiKeyName: 'unit-key', apiKeyDescription: '', justification: 'unit', createdAt: now, expiresAt: now + 3_600_000 }, OWNER);
    return store.registerKey({ apiKeyId: `kunit${++seq}`, teamId: T, ownerId: OWNER, requestId: request.id, apiKeyName: 'unit-key', createdAt: now });
  }

  it('fingerprints with SHA-256 (the FIPS 180-2 "abc" vector)', async () => {
    expect(await fingerprintOf('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('a step run again after the PATCH landed (its DM failed) delivers without regenerating; run a third time it does nothing', async () => {
    const key = await registered();
    const ncpFake = fakeNcp(key.apiKeyId);
    const slack = fakeClient(1);
    const ctx = ctxWith({ ncp: ncpFake.ncpClient, client: slack.client });
    expect((await startRotation(ctx, { teamId: T, userId: OWNER, apiKeyId: key.apiKeyId })).title).toBe('Rotation started');
    const item = (await store.listOutbox(key.requestId)).find((i) => i.kind === 'rotate_key')!;
    expect(item.payload).toEqual({ apiKeyId: key.apiKeyId, part: 'secondary' });

    await expect(handleRotateStep(ctx, item)).rejects.toThrow(/fatal_error/);
    expect(ncpFake.regenerations()).toBe(1);
    expect((await store.getKey(key.apiKeyId))?.rotationFingerprint).toBe(await fingerprintOf('S0value'));

    await handleRotateStep(ctx, item);
    expect(ncpFake.regenerations()).toBe(1);
    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]!['channel']).toBe(OWNER);
    expect(JSON.stringify(slack.posts[0]!['blocks'])).toContain('S1value');
    expect(String(slack.posts[0]!['text'])).not.toContain('S1value');
    expect(slack.posts[0]!['unfurl_links']).toBe(false);
    const after = await store.getKey(key.apiKeyId);
    expect([after?.rotationStep, after?.rotationFingerprint]).toEqual(['awaiting_primary', undefined]);

    await handleRotateStep(ctx, item);
    expect([ncpFake.regenerations(), slack.posts.length]).toEqual([1, 1]);
    expect(logs.filter((l) => /[SP]\dvalue/.test(l))).toEqual([]);
  });

  it('confirm: a stranger is refused and nothing is queued; the owner queues the primary step once', async () => {
    const key = await registered();
    const ctx = ctxWith({ ncp: fakeNcp(key.apiKeyId).ncpClient, client: fakeClient().client });
    await store.updateKey(key.apiKeyId, { rotationStep: 'awaiting_primary', rotatedAt: Date.now() });
    const refused = await confirmSecondary(ctx, { teamId: T, userId: 'U0NOPE', apiKeyId: key.apiKeyId });
    expect(refused.text).toContain(`Only the key's owner (<@${OWNER}>)`);
    expect((await store.listOutbox(key.requestId)).filter((i) => i.kind === 'rotate_key')).toEqual([]);
    expect((await confirmSecondary(ctx, { teamId: T, userId: OWNER, apiKeyId: key.apiKeyId })).title).toBe('Regenerating primary');
    expect((await confirmSecondary(ctx, { teamId: T, userId: OWNER, apiKeyId: key.apiKeyId })).title).toBe('Already rotating');
    expect((await store.listOutbox(key.requestId)).filter((i) => i.kind === 'rotate_key').map((i) => i.payload['part'])).toEqual(['primary']);
    // A departed owner would get the new value in a DM nobody reads: refused until the key is transferred.
    await store.updateKey(key.apiKeyId, { ownerGoneAt: Date.now() });
    expect((await startRotation(ctx, { teamId: T, userId: 'U0APP1', apiKeyId: key.apiKeyId })).title).toBe('Owner has left');
    // Another workspace's user naming this key id learns nothing about it.
    expect((await startRotation(ctx, { teamId: 'T0OTHER', userId: OWNER, apiKeyId: key.apiKeyId })).title).toBe('Unknown key');
  });

  it('/apikey rotate: usage in the ack for a missing or extra argument; an id that is not one is refused escaped', async () => {
    const ctx = ctxWith({ ncp: fakeNcp('x').ncpClient, client: fakeClient().client });
    const calls: { ack: unknown[]; respond: unknown[] } = { ack: [], respond: [] };
    const args = {
      command: { team_id: T, user_id: OWNER, text: '' },
      ack: async (a?: unknown) => { calls.ack.push(a); },
      respond: async (r: unknown) => { calls.respond.push(r); },
    } as unknown as RotateCommandArgs;
    await handleRotateCommand(ctx, args, '   ');
    await handleRotateCommand(ctx, args, ' a b');
    expect(calls.ack.map((a) => (a as { text: string }).text)).toEqual([expect.stringContaining('Usage'), expect.stringContaining('Usage')]);
    expect(calls.respond).toEqual([]);
    await handleRotateCommand(ctx, args, ' <@U0APP1>&x');
    expect(calls.ack[2]).toBeUndefined();
    const reply = JSON.stringify(calls.respond[0]);
    expect(reply).toContain('&lt;@U0APP1&gt;&amp;x');
    expect(reply).not.toContain('<@U0APP1>');
    expect(reply).toContain('"response_type":"ephemeral"');
  });

  it('the Rotate button acks first, then answers in a window: a stranger is refused and nothing changes; the owner starts it', async () => {
    const key = await registered();
    const opened: Record<string, unknown>[] = [];
    const order: string[] = [];
    const client = { views: { open: async (args: Record<string, unknown>) => { order.push('views.open'); opened.push(args); return { ok: true }; } } } as unknown as WebClient;
    const ctx = { ...ctxWith({ ncp: fakeNcp(key.apiKeyId).ncpClient, client }), afterAck: createAfterAck() };
    const handler = createRotateButtonHandler(ctx);
    const press = (userId: string) => handler({
      ack: async () => { order.push('ack'); },
      body: { user: { id: userId }, team: { id: T }, trigger_id: 'trig' },
      action: { action_id: 'rotate', value: key.apiKeyId },
      client,
    } as unknown as RotateButtonArgs);
    await press('U0NOPE');
    expect(order).toEqual(['ack', 'views.open']);
    expect(JSON.stringify(opened[0])).toContain('Only the key');
    expect((await store.getKey(key.apiKeyId))?.version).toBe(key.version);
    await press(OWNER);
    expect(JSON.stringify(opened[1])).toContain('Rotation started');
    expect((await store.getKey(key.apiKeyId))?.rotationStep).toBe('secondary');
  });

  it('reveal buttons carry the part and the key id; anything else is not ours', () => {
    expect(parseRevealRotatedValue('secondary:abc_1-2')).toEqual({ part: 'secondary', apiKeyId: 'abc_1-2' });
    expect(parseRevealRotatedValue('primary:k')).toEqual({ part: 'primary', apiKeyId: 'k' });
    for (const bad of [undefined, '', 'both:k', 'secondary:', 'secondary:<!channel>', 'secondary:k:extra', `primary:${'k'.repeat(65)}`]) {
      expect(parseRevealRotatedValue(bad)).toBeUndefined();
    }
  });
});

describe('rotation messages over hostile text', () => {
  const hostileChar = fc.constantFrom('&', '<', '>', '<!channel>', '<@U1>', '*', '`', '\n', '\u0000', '\u001b[2J', '\ud83d', '😀', 'a', ' ');
  const hostile = (maxLength: number) => fc.array(hostileChar, { maxLength }).map((parts) => parts.join(''));
  const key = fc.record({ apiKeyName: hostile(60), apiKeyId: hostile(80).filter((x) => x.length > 0), error: hostile(1500), by: fc.constantFrom(undefined, 'U0OWN1', 'U0APP1') });

  it('every rotation DM, window and reply is valid Block Kit, pings nobody, and has no key value in its notification text', () => {
    fc.assert(fc.property(key, (f) => {
      const k: RegisteredKey = { apiKeyId: f.apiKeyId, teamId: 'T1', ownerId: 'U0OWN1', requestId: 'req_x', apiKeyName: f.apiKeyName, state: 'active', version: 1, createdAt: 0 };
      const value = 'V'.repeat(40);
      const messages = (['secondary', 'primary'] as const).flatMap((part) => [
        rotatedKeyDm(k, part, value, f.by), rotatedRevealDm(k, part, f.by), rotatedRevealedDm(k, part, 1_700_000_000_000), rotationFailedDm(k, part, f.error),
      ]);
      messages.push(rotationReply({ title: 'x', text: 'y', confirmKeyId: 'abc' }));
      for (const m of messages) {
        expect(validateMessageBlocks(m.blocks)).toEqual([]);
        expect(m.text).not.toContain(value);
        for (const t of [m.text, ...mrkdwnTexts(m.blocks)]) {
          expect(t.replace(/<@U[A-Z0-9]+>|<!date\^[^>]*>/g, '')).not.toMatch(/[<>]/);
          expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        }
      }
      const modal = rotatedRevealModal(k, 'secondary', value);
      expect(validateView(modal)).toEqual({ kind: 'ok' });
      expect(modal.submit).toBeUndefined();
    }), { numRuns: 100 });
  });
});
