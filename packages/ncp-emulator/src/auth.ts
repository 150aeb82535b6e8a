// Signature v2 verification on the raw request target (rules in this package's README), independent of @apikey/core.

import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Credential } from './types.ts';

export type AuthResult =
  | { ok: true; credential: Credential; credentialIndex: number }
  | { ok: false; details: string };

export type AuthOptions = {
  credentials: readonly Credential[];
  now: number;
  clockSkewMs: number;
  acceptV1Header: boolean;
};

const TIMESTAMP = 'x-ncp-apigw-timestamp';
const ACCESS_KEY = 'x-ncp-iam-access-key';
const SIGNATURE_V2 = 'x-ncp-apigw-signature-v2';
const SIGNATURE_V1 = 'x-ncp-apigw-signature-v1';

// The first sentences are the texts observed from NCP (see README, Source: Observed); the parenthesised part is emulator-defined.
export const AUTH_DETAILS = {
  missing: 'Authentication information are missing.',
  invalid: 'Invalid authentication information.',
} as const;

export function computeSignature(secretKey: string, method: string, target: string, timestamp: string, accessKey: string): string {
  return createHmac('sha256', secretKey).update(`${method} ${target}\n${timestamp}\n${accessKey}`, 'utf8').digest('base64');
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare equal-length buffers even on a length mismatch, so timing does not reveal the expected length.
  const equal = timingSafeEqual(x.length === y.length ? x : y, y);
  return equal && x.length === y.length;
}

export function verifySignatureV2(method: string, rawTarget: string, headers: Headers, opts: AuthOptions): AuthResult {
  const timestamp = headers.get(TIMESTAMP);
  const accessKey = headers.get(ACCESS_KEY);
  let signature = headers.get(SIGNATURE_V2);
  if (signature === null && opts.acceptV1Header) signature = headers.get(SIGNATURE_V1);

  const missing: string[] = [];
  if (timestamp === null || timestamp === '') missing.push(TIMESTAMP);
  if (accessKey === null || accessKey === '') missing.push(ACCESS_KEY);
  if (signature === null || signature === '') missing.push(SIGNATURE_V2);
  if (missing.length > 0 || timestamp === null || accessKey === null || signature === null) {
    const v1Note = missing.includes(SIGNATURE_V2) && headers.get(SIGNATURE_V1) !== null
      ? `; ${SIGNATURE_V1} is not accepted, send ${SIGNATURE_V2}`
      : '';
    return { ok: false, details: `${AUTH_DETAILS.missing} (emulator: missing header ${missing.join(', ')}${v1Note})` };
  }

  if (!/^\d{13}$/.test(timestamp)) {
    return { ok: false, details: `${AUTH_DETAILS.invalid} (emulator: ${TIMESTAMP} must be epoch milliseconds, 13 digits)` };
  }
  if (Math.abs(opts.now - Number(timestamp)) > opts.clockSkewMs) {
    return {
      ok: false,
      details: `${AUTH_DETAILS.invalid} (emulator: timestamp outside the allowed window of ±${opts.clockSkewMs} ms; check the clock)`,
    };
  }

  const index = opts.credentials.findIndex((c) => c.accessKey === accessKey);
  const credential = opts.credentials[index];
  if (credential === undefined) {
    return { ok: false, details: `${AUTH_DETAILS.invalid} (emulator: unknown access key)` };
  }
  const expected = computeSignature(credential.secretKey, method, rawTarget, timestamp, accessKey);
  if (!constantTimeEqual(signature, expected)) {
    return { ok: false, details: `${AUTH_DETAILS.invalid} (emulator: signature mismatch; sign "METHOD rawPathAndQuery\\ntimestamp\\naccessKey")` };
  }
  return { ok: true, credential, credentialIndex: index };
}
