import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../src/index.ts';

test('printable keeps readable text and shows escape sequences visibly instead of running them', () => {
  assert.equal(printable('billing-api'), 'billing-api');
  assert.equal(printable('결제 API 🔑'), '결제 API 🔑');
  assert.equal(printable('evil\x1b[2Jname'), 'evil\\x1b[2Jname');
  assert.equal(printable('a\nb\tc\x7f\x9b'), 'a\\x0ab\\x09c\\x7f\\x9b');
  assert.equal(printable('lone \ud800 surrogate'), 'lone \\ud800 surrogate');
});

test('printable output never contains a control character, whatever the input', () => {
  for (let cp = 0; cp < 0x3000; cp++) {
    const out = printable(`x${String.fromCharCode(cp)}y`);
    assert.ok(!/[\u0000-\u001f\u007f-\u009f]/u.test(out), `U+${cp.toString(16)} leaked through`);
  }
});
