// Test helpers for the key lifecycle: a key delivered through the real flow (request → approve → DM), its
// registry row, a call through the emulator's data plane with one of its values, and what a person sees.
import type { SlackStandIn } from '@apikey/slack-testkit';
import type { RegisteredKey } from '../../src/store/key-registry.ts';
import { APPROVER, decideViaSlack, submitRequest, waitFor, type AppInstance, type Ncp } from './harness.ts';

/** Requests `name` as `userId` (for `product` when given), approves it and resolves once the key is registered and delivered. */
export async function deliveredKey(app: AppInstance, standIn: SlackStandIn, ncp: Ncp, o: { userId: string; name: string; product?: string }) {
  const { request, message } = await submitRequest(app, standIn, { userId: o.userId, name: o.name, ...(o.product !== undefined ? { product: o.product } : {}) });
  const decided = await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
  if (!decided.opened) throw new Error(`approve refused: ${decided.notice}`);
  await waitFor('delivered', async () => ((await app.store.getRequest(request.id))?.state === 'delivered' ? true : undefined), 15_000);
  const registered = await waitFor('registered key', async () => (await app.store.listKeys({ ownerId: o.userId }, 100)).find((k) => k.apiKeyName === o.name));
  const ncpKey = ncp.emulator.inspect.keys().find((k) => k.apiKeyId === registered.apiKeyId);
  if (ncpKey === undefined) throw new Error('the key is not on the emulator');
  return { request, key: registered, values: { primary: ncpKey.primaryKey, secondary: ncpKey.secondaryKey } };
}

/** The HTTP status the emulator's gateway answers to a call of `productId`'s first stage with `value`. */
export async function gatewayStatus(ncp: Ncp, productId: string, value: string): Promise<number> {
  const api = ncp.emulator.apis(productId)[0];
  const stage = api?.stages[0];
  if (api === undefined || stage === undefined) throw new Error(`${productId} has no stage`);
  const res = await fetch(`${new URL(ncp.url).origin}/gateway/${productId}/${api.apiName}/${stage.stageName}/`, { headers: { 'x-ncp-apigw-api-key': value } });
  await res.body?.cancel();
  return res.status;
}

export async function keyNow(app: AppInstance, apiKeyId: string): Promise<RegisteredKey> {
  const key = await app.store.getKey(apiKeyId);
  if (key === undefined) throw new Error(`key ${apiKeyId} is not registered`);
  return key;
}

/** NCP management calls that change this key (PUT, PATCH, DELETE). */
export function ncpWrites(ncp: Ncp, apiKeyId: string): number {
  return ncp.emulator.inspect.requests().filter((r) => r.method !== 'GET' && r.method !== 'POST' && r.target.includes(`/api-keys/${apiKeyId}`)).length;
}

/**
 * Management writes of `method` that NCP processed for a key: an injected error status, drop or rate limit that
 * refused one does not count.
 */
export function processedWrites(ncp: Ncp, apiKeyId: string, method: 'PATCH' | 'PUT') {
  return ncp.emulator.inspect.requests()
    .filter((r) => r.method === method && r.target === `/api/v1/api-keys/${apiKeyId}`
      && !(r.fault ?? '').split('+').some((f) => f.startsWith('status:') || f === 'drop' || f.startsWith('rateLimit')));
}

/** The key as the emulator holds it now; both values are added to `seen` (for leak checks over every value issued). */
export function emulatorKey(ncp: Ncp, apiKeyId: string, seen: Set<string>) {
  const k = ncp.emulator.inspect.keys().find((x) => x.apiKeyId === apiKeyId);
  if (k === undefined) throw new Error(`no key ${apiKeyId} in the emulator`);
  seen.add(k.primaryKey).add(k.secondaryKey);
  return k;
}

/** `/apikey keys` as `userId`: resolves with the ephemeral reply. */
export async function keysReply(app: AppInstance, standIn: SlackStandIn, userId: string) {
  const before = standIn.ephemerals(userId).length;
  const cmd = await app.driver.slashCommand({ userId, text: 'keys' });
  if (cmd.status !== 200) throw new Error(`/apikey keys answered ${cmd.status}`);
  return waitFor('keys reply', () => standIn.ephemerals(userId)[before]);
}

/** Every NCP key value the emulator holds, for leak checks on messages. */
export function allKeyValues(ncp: Ncp): string[] {
  return ncp.emulator.inspect.keys().flatMap((k) => [k.primaryKey, k.secondaryKey]);
}

/** The stand-in's call sequence number now: pass it to expectNoKeyValuesSince to check what came after. */
export function callMark(standIn: SlackStandIn): number {
  return standIn.calls().at(-1)?.seq ?? 0;
}

/** Throws when a message, ephemeral or view the app sent after `since` carries a key value (the key DM is before it). */
export function expectNoKeyValuesSince(standIn: SlackStandIn, ncp: Ncp, since: number): void {
  const values = allKeyValues(ncp);
  let checked = 0;
  for (const call of standIn.calls()) {
    if (call.seq <= since || (!call.method.startsWith('chat.') && !call.method.startsWith('views.'))) continue;
    checked++;
    const text = JSON.stringify(call.args);
    const leaked = values.filter((v) => text.includes(v));
    if (leaked.length > 0) throw new Error(`${call.method} carried ${leaked.length} key value(s)`);
  }
  if (checked === 0) throw new Error('no message was sent after the mark: nothing was checked');
}
