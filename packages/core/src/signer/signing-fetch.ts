// A fetch wrapper that signs every call with signature v2. It sits at the fetch boundary on purpose: it
// sees the final method and URL exactly as they go on the wire, and runs once per attempt, so every retry
// gets a fresh timestamp and signature (NCP rejects a timestamp more than 5 minutes off, and a retry that
// reused the first attempt's would fail for that reason alone).

import type { Credentials } from '../client/types.ts';
import { signV2 } from './sign.ts';

export const HEADER_TIMESTAMP = 'x-ncp-apigw-timestamp';
export const HEADER_ACCESS_KEY = 'x-ncp-iam-access-key';
export const HEADER_SIGNATURE = 'x-ncp-apigw-signature-v2';

export type SigningFetchOptions = {
  credentials: Credentials;
  fetch?: typeof fetch | undefined;
  now?: (() => number) | undefined;
};

export function createSigningFetch(opts: SigningFetchOptions): typeof fetch {
  const { accessKey, secretKey } = opts.credentials;
  const now = opts.now ?? Date.now;
  const inner = opts.fetch;

  const signingFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const isRequest = typeof input === 'object' && !(input instanceof URL) && 'url' in input;
    const url = isRequest ? new URL(input.url) : new URL(input instanceof URL ? input.href : input);
    const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
    // A plain record is cheaper for fetch to take in than a Headers object; forEach yields lower-cased names.
    const headers: Record<string, string> = {};
    const given = init?.headers ?? (isRequest ? input.headers : undefined);
    if (given !== undefined) {
      (given instanceof Headers ? given : new Headers(given)).forEach((value, name) => {
        headers[name] = value;
      });
    }

    // One clock read per attempt: the header and the signed string must carry the same value.
    const timestamp = String(Math.trunc(now()));
    const signature = await signV2({ method, pathWithQuery: url.pathname + url.search, timestamp, accessKey, secretKey });
    headers[HEADER_TIMESTAMP] = timestamp;
    headers[HEADER_ACCESS_KEY] = accessKey;
    headers[HEADER_SIGNATURE] = signature;

    const fetchImpl = inner ?? globalThis.fetch;
    return fetchImpl(input, { ...init, method, headers });
  };
  return signingFetch as typeof fetch;
}
