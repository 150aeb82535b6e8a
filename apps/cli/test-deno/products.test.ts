// A delivered key works, on Deno: `apikey create --product` run from source on Deno, then the emulator's data plane
// called with the printed key — 200 at once for a PUBLIC product; 401 errorCode 210 for a PROTECTED one until its
// owner accepts the subscription (through core), then 200.

import { createApiGatewayClient } from '@apikey/core';
import { sandboxCatalogue } from '@apikey/ncp-emulator';
import { ACCESS_KEY, SECRET_KEY, startCliHarness } from './helpers.ts';

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const gateway = (url: string, key?: string) => fetch(url, { headers: key === undefined ? {} : { 'x-ncp-apigw-api-key': key } });

Deno.test('create --product on Deno yields a key the data plane accepts', async (t) => {
  const cli = await startCliHarness();
  const { emulator } = cli.server;
  for (const p of sandboxCatalogue()) emulator.addProduct(p);
  const origin = new URL(cli.server.url).origin;
  try {
    await t.step('PUBLIC: the printed key and stage URL answer 200 at once; no header is 401', async () => {
      const r = await cli.run(['create', '--name', 'deno-public', '--product', 'weather']);
      assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
      const primary = /Primary key\s+([A-Za-z0-9]{40})/.exec(r.stdout)?.[1];
      const url = /^\s+(http:\/\/\S+\/gateway\/\S+)$/m.exec(r.stdout)?.[1];
      assert(primary !== undefined && url === `${origin}/gateway/weatherpub/forecast/v1/`, `no key or URL printed: ${r.stdout}`);
      const ok = await gateway(url, primary);
      await ok.body?.cancel();
      assert(ok.status === 200, `data plane answered ${ok.status}`);
      const bare = await gateway(url);
      await bare.body?.cancel();
      assert(bare.status === 401, 'a call without the key header was let in');
    });

    await t.step('PROTECTED: 401/210 until the owner accepts through core, then 200', async () => {
      const r = await cli.run(['create', '--name', 'deno-protected', '--product', 'paymentprt', '--json']);
      assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
      const key = JSON.parse(r.stdout);
      assert(JSON.stringify(key.subscriptions) === JSON.stringify([{ productId: 'paymentprt', productName: 'payments', status: 'REQUEST' }]), r.stdout);
      const url = `${origin}/gateway/paymentprt/charges/v1/`;
      const denied = await gateway(url, key.primaryKey);
      const body = await denied.json();
      assert(denied.status === 401 && body.error.errorCode === '210', `before acceptance: ${denied.status} ${JSON.stringify(body)}`);
      const owner = createApiGatewayClient({ credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, endpoint: cli.server.url });
      await owner.setSubscriptionStatus('paymentprt', key.apiKeyId, 'ACCEPTED');
      const ok = await gateway(url, key.secondaryKey);
      await ok.body?.cancel();
      assert(ok.status === 200, `after acceptance: ${ok.status}`);
    });
  } finally {
    await cli.close();
  }
});
