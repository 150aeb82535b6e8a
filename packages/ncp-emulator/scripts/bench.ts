// Overhead of the emulator against a floor in the same run: a bare handler / bare node:http server answering
// a fixed JSON body. Prints requests per second and the emulator/floor time ratio. Run: node --import tsx scripts/bench.ts

import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { createNcpEmulator, serve } from '../src/index.ts';

const N = Number(process.env.BENCH_N ?? 3000);
const TARGET = '/api/v1/api-keys?limit=10';
const creds = { accessKey: 'AK_BENCH', secretKey: 'SK_BENCH' };

function headers(): Record<string, string> {
  const ts = String(Date.now());
  const sig = createHmac('sha256', creds.secretKey).update(`GET ${TARGET}\n${ts}\n${creds.accessKey}`).digest('base64');
  return { 'x-ncp-apigw-timestamp': ts, 'x-ncp-iam-access-key': creds.accessKey, 'x-ncp-apigw-signature-v2': sig };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  const start = performance.now();
  for (let i = 0; i < N; i++) await fn();
  return performance.now() - start;
}

const emulator = createNcpEmulator({ credentials: [creds], seed: 1 });
for (let i = 0; i < 10; i++) {
  const ts = String(Date.now());
  const sig = createHmac('sha256', creds.secretKey).update(`POST /api/v1/api-keys\n${ts}\n${creds.accessKey}`).digest('base64');
  await emulator.handler(new Request('http://e/api/v1/api-keys', {
    method: 'POST',
    headers: { 'x-ncp-apigw-timestamp': ts, 'x-ncp-iam-access-key': creds.accessKey, 'x-ncp-apigw-signature-v2': sig, 'content-type': 'application/json' },
    body: JSON.stringify({ apiKeyName: `bench-${i}` }),
  }));
}
const body = JSON.stringify({ apiKeys: [], total: 0, initialCount: 0 });

// In-process: floor = building the same Request and a fixed Response.
const floorIn = await time(async () => {
  const req = new Request(`http://e${TARGET}`, { headers: headers() });
  return new Response(body, { status: req.method === 'GET' ? 200 : 500 }).text();
});
const emuIn = await time(async () => (await emulator.handler(new Request(`http://e${TARGET}`, { headers: headers() }))).text());

// Over loopback HTTP: floor = bare node:http server.
const bare = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const barePort = (bare.address() as { port: number }).port;
const floorHttp = await time(async () => (await fetch(`http://127.0.0.1:${barePort}${TARGET}`, { headers: headers() })).text());
const served = await serve({ emulator });
const emuHttp = await time(async () => (await fetch(`http://127.0.0.1:${served.port}${TARGET}`, { headers: headers() })).text());
bare.closeAllConnections();
bare.close();
await served.close();

const rps = (ms: number): string => `${Math.round((N / ms) * 1000)} req/s`;
const runtime = 'Deno' in globalThis ? 'deno' : `node ${process.version}`;
console.log(`runtime ${runtime}, ${N} sequential signed GET list requests`);
console.log(`in-process: floor ${rps(floorIn)}, emulator ${rps(emuIn)}, ratio ${(emuIn / floorIn).toFixed(2)}x`);
console.log(`loopback HTTP: floor ${rps(floorHttp)}, emulator ${rps(emuHttp)}, ratio ${(emuHttp / floorHttp).toFixed(2)}x`);
