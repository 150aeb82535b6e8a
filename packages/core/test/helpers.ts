// Test helpers: an independent signature v2 implementation on node:crypto (so the signer is checked
// against something that is not itself), a loopback HTTP server, and small fakes for clock and sleep.

import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function nodeSignature(method: string, target: string, timestamp: string, accessKey: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(`${method} ${target}\n${timestamp}\n${accessKey}`, 'utf8').digest('base64');
}

export type Loopback = { url: string; close(): Promise<void> };

export async function startServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Loopback> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export type Captured = { method: string; url: string; headers: Headers; body: string };

/**
 * An injected fetch that records what it was handed and answers from a script. It consumes the body so
 * tests can assert what would have gone on the wire.
 */
export function scriptedFetch(answer: (req: Captured, n: number) => Response | Promise<Response>): { fetch: typeof fetch; calls: Captured[] } {
  const calls: Captured[] = [];
  const f = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    const captured: Captured = { method: req.method, url: req.url, headers: req.headers, body: await req.text() };
    calls.push(captured);
    return answer(captured, calls.length);
  };
  return { fetch: f as typeof fetch, calls };
}

export function fakeClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance(ms: number): void; reads: () => number } {
  let t = start;
  let reads = 0;
  return {
    now: () => {
      reads++;
      return t;
    },
    advance: (ms) => {
      t += ms;
    },
    reads: () => reads,
  };
}

export function recordingSleep(onSleep?: (ms: number) => void): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      delays.push(ms);
      onSleep?.(ms);
    },
  };
}

export const KEY = {
  apiKeyId: 'abcde12345',
  tenantId: '0123456789abcdef0123456789abcdef',
  apiKeyName: 'my-key',
  apiKeyDescription: 'desc',
  primaryKey: 'P'.repeat(40),
  secondaryKey: 'S'.repeat(40),
  modifier: 'd12c9fd0-0000-0000-0000-246e96591a38',
  isEnabled: true,
  modTime: '2024-05-07T07:08:12Z',
  domainCode: 'PUB',
};

export const CREDS = { accessKey: 'AK_TEST', secretKey: 'SK_TEST' };
