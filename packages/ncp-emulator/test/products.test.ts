import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createKey, harness, json } from './helpers.ts';

const BASE = '/api/v1/api-keys';

async function errorCode(res: Response): Promise<[number, string]> {
  return [res.status, (await json(res)).error.errorCode];
}

describe('products and subscriptions', () => {
  test('subscribe answers 200 with an empty body and the product is listed with its relation', async () => {
    const h = harness();
    const product = h.emulator.addProduct({ productId: 'prod000001', productName: 'payments', productDescription: 'Payments API' });
    const key = await createKey(h, 'consumer');
    const res = await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: product.productId } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    const list = await call(h, 'GET', `${BASE}/${key.apiKeyId}/products`);
    assert.equal(list.status, 200);
    const body = await json(list);
    assert.equal(body.total, 1);
    assert.deepEqual(body.apiKeyRelateProductDtos, [{
      productId: 'prod000001',
      productName: 'payments',
      productDescription: 'Payments API',
      publisherId: product.publisherId,
      isSelfProduct: true,
      status: 'ACCEPTED',
      regTime: '2023-11-14T22:13:20Z',
      modTime: '2023-11-14T22:13:20Z',
    }]);
  });

  test('a protected product starts in REQUEST status', async () => {
    const h = harness({ products: [{ productId: 'locked0001', productName: 'locked', subscriptionCode: 'PROTECTED' }] });
    const key = await createKey(h, 'consumer');
    await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: 'locked0001' } });
    const body = await json(await call(h, 'GET', `${BASE}/${key.apiKeyId}/products`));
    assert.equal(body.apiKeyRelateProductDtos[0].status, 'REQUEST');
  });

  test('subscribing twice keeps one relation; unsubscribe removes it', async () => {
    const h = harness();
    const p = h.emulator.addProduct({ productName: 'twice' });
    assert.match(p.productId, /^[a-z0-9]{10}$/);
    const key = await createKey(h, 'consumer');
    for (let i = 0; i < 2; i++) await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: p.productId } });
    assert.equal(h.emulator.inspect.subscriptions().length, 1);
    const res = await call(h, 'POST', `${BASE}/${key.apiKeyId}/unsubscribe`, { body: { productId: p.productId } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    assert.equal((await json(await call(h, 'GET', `${BASE}/${key.apiKeyId}/products`))).total, 0);
  });

  test('products are paged with limit/offset and a total', async () => {
    const h = harness();
    const key = await createKey(h, 'consumer');
    for (let i = 0; i < 3; i++) {
      const p = h.emulator.addProduct({ productName: `p${i}` });
      await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: p.productId } });
    }
    const body = await json(await call(h, 'GET', `${BASE}/${key.apiKeyId}/products?limit=1&offset=2`));
    assert.deepEqual(body.apiKeyRelateProductDtos.map((p: any) => p.productName), ['p2']);
    assert.equal(body.total, 3);
    assert.deepEqual(await errorCode(await call(h, 'GET', `${BASE}/${key.apiKeyId}/products?limit=0`)), [400, 'EMU-INVALID-QUERY']);
  });

  test('unknown products and keys are 404; a missing productId is 400', async () => {
    const h = harness();
    const key = await createKey(h, 'consumer');
    assert.deepEqual(await errorCode(await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: 'nope000000' } })), [404, 'EMU-PRODUCT-NOT-FOUND']);
    assert.deepEqual(await errorCode(await call(h, 'POST', `${BASE}/${key.apiKeyId}/unsubscribe`, { body: { productId: 'nope000000' } })), [404, 'EMU-PRODUCT-NOT-FOUND']);
    assert.deepEqual(await errorCode(await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: {} })), [400, 'EMU-INVALID-FIELD']);
    assert.deepEqual(await errorCode(await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: 'x'.repeat(11) } })), [400, 'EMU-INVALID-FIELD']);
    assert.deepEqual(await errorCode(await call(h, 'GET', `${BASE}/zzzzzzzzzz/products`)), [404, 'EMU-KEY-NOT-FOUND']);
    assert.deepEqual(await errorCode(await call(h, 'POST', `${BASE}/zzzzzzzzzz/subscribe`, { body: { productId: 'x' } })), [404, 'EMU-KEY-NOT-FOUND']);
    assert.equal(h.emulator.inspect.subscriptions().length, 0);
  });

  test('deleting a subscribed key removes its relations, or is refused with allowDeleteSubscribed=false', async () => {
    const h = harness();
    const p = h.emulator.addProduct({ productName: 'p' });
    const key = await createKey(h, 'consumer');
    await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: p.productId } });
    assert.equal((await call(h, 'DELETE', `${BASE}/${key.apiKeyId}`)).status, 204);
    assert.equal(h.emulator.inspect.subscriptions().length, 0);

    const strict = harness({ behaviour: { allowDeleteSubscribed: false } });
    const sp = strict.emulator.addProduct({ productName: 'p' });
    const skey = await createKey(strict, 'consumer');
    await call(strict, 'POST', `${BASE}/${skey.apiKeyId}/subscribe`, { body: { productId: sp.productId } });
    assert.deepEqual(await errorCode(await call(strict, 'DELETE', `${BASE}/${skey.apiKeyId}`)), [400, 'EMU-KEY-IN-USE']);
    assert.equal(strict.emulator.inspect.keys().length, 1);
  });

  test('addProduct refuses a duplicate productId, a malformed id and an empty name', () => {
    const h = harness();
    h.emulator.addProduct({ productId: 'same000000', productName: 'a' });
    assert.throws(() => h.emulator.addProduct({ productId: 'same000000', productName: 'b' }), /already exists/);
    assert.throws(() => h.emulator.addProduct({ productId: 'Has Space', productName: 'b' }), /1–10 lowercase/);
    assert.throws(() => h.emulator.addProduct({ productName: '' }), /non-empty productName/);
  });

  test('products survive reset(), subscriptions do not', async () => {
    const h = harness();
    const p = h.emulator.addProduct({ productName: 'kept' });
    const key = await createKey(h, 'consumer');
    await call(h, 'POST', `${BASE}/${key.apiKeyId}/subscribe`, { body: { productId: p.productId } });
    h.emulator.inspect.reset();
    assert.deepEqual(h.emulator.products().map((x) => x.productName), ['kept']);
    assert.equal(h.emulator.inspect.subscriptions().length, 0);
  });
});
