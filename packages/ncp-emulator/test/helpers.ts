// Test helpers: an independent signature-v2 signer (node:crypto, not @apikey/core), a settable clock,
// and shortcuts for calling an emulator's handler or a served emulator with signed requests.

import { createHmac } from 'node:crypto';
import { createNcpEmulator, type NcpEmulator, type NcpEmulatorOptions } from '../src/index.ts';

export const AK = 'AK_TEST';
export const SK = 'SK_TEST';
export const T0 = 1_700_000_000_000;

export function sign(secretKey: string, method: string, target: string, timestamp: string, accessKey: string): string {
  return createHmac('sha256', secretKey).update(`${method} ${target}\n${timestamp}\n${accessKey}`).digest('base64');
}

export type Clock = { now: () => number; set(ms: number): void; advance(ms: number): void };

export function createClock(start = T0): Clock {
  let t = start;
  return { now: () => t, set: (ms) => { t = ms; }, advance: (ms) => { t += ms; } };
}

export type SignOptions = {
  accessKey?: string;
  secretKey?: string;
  timestamp?: string;
  /** What goes into the string-to-sign, when it should differ from the target sent. */
  signedTarget?: string;
  omit?: ('timestamp' | 'accessKey' | 'signature')[];
  signatureHeader?: 'x-ncp-apigw-signature-v2' | 'x-ncp-apigw-signature-v1';
};

export function signedHeaders(method: string, target: string, now: number, o: SignOptions = {}): Record<string, string> {
  const accessKey = o.accessKey ?? AK;
  const timestamp = o.timestamp ?? String(now);
  const signature = sign(o.secretKey ?? SK, method, o.signedTarget ?? target, timestamp, accessKey);
  const h: Record<string, string> = {};
  if (!o.omit?.includes('timestamp')) h['x-ncp-apigw-timestamp'] = timestamp;
  if (!o.omit?.includes('accessKey')) h['x-ncp-iam-access-key'] = accessKey;
  if (!o.omit?.includes('signature')) h[o.signatureHeader ?? 'x-ncp-apigw-signature-v2'] = signature;
  return h;
}

export type Harness = { emulator: NcpEmulator; clock: Clock; logs: string[] };

export function harness(opts: NcpEmulatorOptions = {}): Harness {
  const clock = createClock();
  const logs: string[] = [];
  const emulator = createNcpEmulator({
    credentials: [{ accessKey: AK, secretKey: SK }],
    seed: 42,
    now: clock.now,
    log: (l) => logs.push(l),
    ...opts,
  });
  return { emulator, clock, logs };
}

export type CallOptions = SignOptions & { body?: unknown; rawBody?: string; contentType?: string | null; signal?: AbortSignal };

/** Calls the in-process handler the way a client on the wire would (signed target = URL path + query). */
export function call(h: Harness, method: string, target: string, o: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = signedHeaders(method, target, h.clock.now(), o);
  const body = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  if (body !== undefined && o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/json';
  return h.emulator.handler(
    new Request(`http://emulator.test${target}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(o.signal !== undefined ? { signal: o.signal } : {}),
    }),
  );
}

export async function json(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

export async function createKey(h: Harness, apiKeyName: string, apiKeyDescription?: string): Promise<any> {
  const res = await call(h, 'POST', '/api/v1/api-keys', { body: { apiKeyName, ...(apiKeyDescription !== undefined ? { apiKeyDescription } : {}) } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await json(res)).apiKey;
}
