// Owns `apikey auth status` and the signed read call it shares with `create --dry-run`: which profile, site and
// endpoint are in use and what set each, the clock skew against NCP (from the Date header of NCP's answer), and
// whether NCP accepts one signed GET /api-keys?limit=1. Exit 0 when it does, 3 when NCP refuses it (401/403),
// 1 when NCP cannot be reached, 2 when there are no credentials (then nothing is sent).

import { isApiKeyError, printable, type ApiGatewayClient } from '@apikey/core';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { resolveFromEnvironment, SANDBOX_CREDENTIALS, setupClient, type ClientSetup } from './client.ts';
import { errorDocument, exitCodeFor, EXIT, reportError } from './errors.ts';
import { endpointOrigin, maskAccessKey, originsOf } from './origin.ts';

/** One HTTP exchange as the client's fetch saw it (after signing, so it is exactly what NCP got). */
export type Exchange = { method: string; path: string; status: number; date: string | undefined; sentAt: number; receivedAt: number };

/** NCP refuses a signature whose timestamp is more than 5 minutes off its clock. */
export const NCP_SKEW_LIMIT_MS = 5 * 60_000;

/** A fetch wrapper that records every exchange, for the Date header and the status. */
export function createExchangeRecorder(now: () => number = Date.now) {
  const exchanges: Exchange[] = [];
  const wrap = (inner: typeof fetch): typeof fetch => async (input, init) => {
    const sentAt = now();
    const res = await inner(input, init);
    const receivedAt = now();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    exchanges.push({ method, path: url.pathname + url.search, status: res.status, date: res.headers.get('date') ?? undefined, sentAt, receivedAt });
    return res;
  };
  return { wrap, exchanges };
}

/**
 * NCP's clock minus ours, in ms (positive: ours is behind). A Date header has whole seconds, so NCP's time lies in
 * [date, date + 1 s): take the middle, against the middle of our send and receive. Accurate to about ±0.5 s plus
 * half the round trip, which is plenty against a ±5 minute window.
 */
export function clockSkewMs(x: Exchange): number | undefined {
  if (x.date === undefined) return undefined;
  const t = Date.parse(x.date);
  if (Number.isNaN(t)) return undefined;
  return Math.round(t + 500 - (x.sentAt + x.receivedAt) / 2);
}

export function describeSkew(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return 'under 1 s';
  const seconds = Math.round(abs / 1000);
  const min = Math.floor(seconds / 60);
  const s = seconds % 60;
  const amount = min > 0 ? `${min} min ${s} s` : `${s} s`;
  return `${amount}, your clock is ${ms > 0 ? 'behind' : 'ahead of'} NCP`;
}

/** The one signed read call: GET /api-keys?limit=1. Throws the client's error when NCP does not accept it. */
export async function signedReadCall(client: ApiGatewayClient, signal: AbortSignal): Promise<void> {
  await client.listApiKeys({ limit: 1 }, { signal });
}

const debugLog = (args: ParsedArgs, io: Io) => (args.global.debug ? { log: (l: string) => io.err(`${l}\n`) } : {});

/** Sets up the client with an exchange recorder, for the commands that make the signed read call. */
export async function recordedClient(args: ParsedArgs, io: Io, signal: AbortSignal): Promise<{ setup: ClientSetup; exchanges: Exchange[] }> {
  const recorder = createExchangeRecorder();
  const setup = await setupClient(args.global, io, { signal, wrapFetch: recorder.wrap, ...debugLog(args, io) });
  return { setup, exchanges: recorder.exchanges };
}

type Setting = { value: string; source: string };

export async function runAuthStatus(args: ParsedArgs, io: Io, signal: AbortSignal): Promise<number> {
  const json = args.flags.json === true;
  let settings: Record<'profile' | 'site' | 'endpoint' | 'accessKey' | 'secretKey', Setting>;
  if (args.global.sandbox) {
    settings = {
      profile: { value: '(none)', source: '--sandbox' },
      site: { value: '(none)', source: '--sandbox' },
      endpoint: { value: 'in-process emulator', source: '--sandbox' },
      accessKey: { value: SANDBOX_CREDENTIALS.accessKey, source: 'the sandbox pair' },
      secretKey: { value: 'set', source: 'the sandbox pair' },
    };
  } else {
    // Throws CredentialsError (exit 2, nothing sent) when no pair is configured.
    const r = resolveFromEnvironment(args.global, io);
    const o = originsOf(r, io.env);
    settings = {
      profile: { value: r.profile, source: o.profile },
      site: { value: r.site, source: o.site },
      endpoint: { value: r.endpoint ?? '', source: o.endpoint },
      accessKey: { value: maskAccessKey(r.credentials.accessKey), source: o.accessKey },
      secretKey: { value: 'set', source: o.secretKey },
    };
  }
  const { setup, exchanges } = await recordedClient(args, io, signal);
  if (!args.global.sandbox) settings.endpoint.value = setup.endpoint;

  let failure: unknown;
  try {
    await signedReadCall(setup.client, signal);
  } catch (e) {
    if (isApiKeyError(e) && e.code === 'ERR_APIKEY_ABORTED') throw e;
    failure = e;
  }
  const last = exchanges.at(-1);
  const skew = last === undefined ? undefined : clockSkewMs(last);
  const ok = failure === undefined;

  if (json) {
    const doc: Record<string, unknown> = {
      ...settings,
      clockSkewMs: skew ?? null,
      signedCall: last === undefined ? null : { method: last.method, path: last.path, status: last.status },
      authenticated: ok,
    };
    if (!ok) {
      doc.reason = reason(failure, skew);
      doc.error = errorDocument(failure).error;
    }
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    return ok ? EXIT.ok : exitCodeFor(failure);
  }

  const rows: [string, string, string][] = [
    ['Profile', settings.profile.value, settings.profile.source],
    ['Site', settings.site.value, settings.site.source],
    ['Endpoint', settings.endpoint.value, settings.endpoint.source],
    ['Access key', settings.accessKey.value, settings.accessKey.source],
    ['Secret key', 'set (never shown)', settings.secretKey.source],
  ];
  const valueWidth = Math.max(...rows.map(([, v]) => printable(v).length));
  const lines = rows.map(([k, v, s]) => `${k.padEnd(11)} ${printable(v).padEnd(valueWidth)}  (${printable(s)})`);
  lines.push(`${'Clock skew'.padEnd(11)} ${skew === undefined ? 'unknown (no Date header in the answer)' : `${describeSkew(skew)} (NCP allows ±5 min)`}`);
  lines.push(`${'Signed call'.padEnd(11)} ${last === undefined ? 'no answer' : `${last.method} ${last.path} → HTTP ${last.status} (${Math.round(last.receivedAt - last.sentAt)} ms)`}`);
  lines.push(ok ? 'Authenticated: NCP accepted the signed request.' : `Not authenticated: ${reason(failure, skew)}`);
  io.out(`${lines.join('\n')}\n`);
  if (ok) return EXIT.ok;
  return reportError(io, failure, { json: false, debug: args.global.debug, endpoint: () => endpointOrigin(args.global, io) });
}

/** Why the signed call failed, in the terms a person fixes it in. */
function reason(failure: unknown, skew: number | undefined): string {
  const status = isApiKeyError(failure) ? failure.status : undefined;
  const code = isApiKeyError(failure) ? failure.code : undefined;
  if (status === 401 && skew !== undefined && Math.abs(skew) > NCP_SKEW_LIMIT_MS) {
    return `your clock is ${describeSkew(skew).replace(/, your clock is .*/, '')} ${skew > 0 ? 'behind' : 'ahead of'} NCP, more than the 5 minutes NCP allows; fix the system clock (enable NTP).`;
  }
  if (status === 401) {
    return `NCP refused the signature${skew !== undefined ? ' although the clock is in sync' : ''}: the access key or secret key is wrong, or belongs to another site.`;
  }
  if (status === 403) return 'NCP accepted the keys but refused access (403): the account or sub-account lacks permission for API Gateway.';
  if (code === 'ERR_APIKEY_NETWORK' || code === 'ERR_APIKEY_TIMEOUT') return 'NCP could not be reached, so the credentials were not checked.';
  return 'the signed call failed (below).';
}
