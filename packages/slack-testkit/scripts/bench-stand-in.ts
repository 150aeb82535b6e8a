// Measures the stand-in's per-call cost against its floor: a bare node:http server answering {"ok":true}
// to the same form-encoded requests over the same loopback fetch. Prints both rates and the ratio.
// Run: node --import tsx scripts/bench-stand-in.ts [calls]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSlackStandIn } from '../src/index.ts';

const N = Number(process.argv[2] ?? 2000);
const CONCURRENCY = 8;

async function run(url: string, token: string): Promise<number> {
  const blocks = JSON.stringify([
    { type: 'section', text: { type: 'mrkdwn', text: '*billing-svc* requested by <@U0ALICE>' } },
    { type: 'actions', elements: [{ type: 'button', action_id: 'approve', value: 'req_1', text: { type: 'plain_text', text: 'Approve' } }] },
  ]);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        next += 1;
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
          body: new URLSearchParams({ channel: 'C0APPROVERS', text: 'API key request', blocks }).toString(),
        });
        const body = (await r.json()) as { ok?: boolean };
        if (body.ok !== true) throw new Error(`call failed: ${JSON.stringify(body)}`);
      }
    }),
  );
  return N / ((performance.now() - start) / 1000);
}

const floor = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});
await new Promise<void>((r) => floor.listen(0, '127.0.0.1', r));
const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/api/chat.postMessage`;
const standIn = await startSlackStandIn();

await run(floorUrl, 'x'); // warm-up
await run(`${standIn.url}chat.postMessage`, standIn.botToken);
standIn.reset();
const floorRate = await run(floorUrl, 'x');
const standInRate = await run(`${standIn.url}chat.postMessage`, standIn.botToken);

console.log(`floor (bare node:http):  ${floorRate.toFixed(0)} calls/s`);
console.log(`stand-in chat.postMessage: ${standInRate.toFixed(0)} calls/s`);
console.log(`ratio stand-in/floor: ${(standInRate / floorRate).toFixed(2)} (${N} calls, concurrency ${CONCURRENCY})`);
floor.close();
floor.closeAllConnections();
await standIn.close();
