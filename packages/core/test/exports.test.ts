// The contract in docs/contracts.md: every runtime name front-ends code against is exported, and every
// error class carries its stable code.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '@apikey/core';

describe('@apikey/core exports the contract', () => {
  it('exports every contract function, schema and constant', () => {
    const names = [
      'ApiKeyError', 'InputError', 'CredentialsError', 'AuthError', 'NotFoundError', 'RateLimitError', 'ServerError', 'HttpError',
      'NetworkError', 'TimeoutError', 'AbortedError', 'ResponseShapeError', 'isApiKeyError',
      'apiKeyNameSchema', 'apiKeyDescriptionSchema', 'createApiKeyInputSchema', 'updateApiKeyInputSchema', 'apiKeySchema',
      'ncpErrorEnvelopeSchema', 'validateApiKeyName', 'validateApiKeyDescription', 'countCodePoints', 'API_KEY_NAME_MAX', 'API_KEY_DESCRIPTION_MAX',
      'buildStringToSign', 'signV2', 'createSigningFetch', 'siteEndpoint', 'createApiGatewayClient',
      'parseNcloudConfigure', 'resolveCredentials', 'redact', 'redactValue',
    ];
    const missing = names.filter((n) => !(n in core) || (core as Record<string, unknown>)[n] === undefined);
    assert.deepEqual(missing, []);
    assert.equal(core.API_KEY_NAME_MAX, 20);
    assert.equal(core.API_KEY_DESCRIPTION_MAX, 50);
  });

  it('gives each error class its stable code and makes isApiKeyError recognise it', () => {
    const cases: [core.ApiKeyError, core.ErrorCode][] = [
      [new core.InputError([{ path: 'x', message: 'bad' }]), 'ERR_APIKEY_INPUT'],
      [new core.CredentialsError(['accessKey'], 'missing'), 'ERR_APIKEY_CREDENTIALS'],
      [new core.AuthError('401'), 'ERR_APIKEY_AUTH'],
      [new core.NotFoundError('404'), 'ERR_APIKEY_NOT_FOUND'],
      [new core.RateLimitError('429', { retryAfterMs: 5 }), 'ERR_APIKEY_RATE_LIMIT'],
      [new core.ServerError('500'), 'ERR_APIKEY_SERVER'],
      [new core.HttpError('400'), 'ERR_APIKEY_HTTP'],
      [new core.NetworkError('reset'), 'ERR_APIKEY_NETWORK'],
      [new core.TimeoutError('slow'), 'ERR_APIKEY_TIMEOUT'],
      [new core.AbortedError('stop'), 'ERR_APIKEY_ABORTED'],
      [new core.ResponseShapeError('shape'), 'ERR_APIKEY_RESPONSE_SHAPE'],
    ];
    assert.deepEqual(cases.map(([, c]) => c).sort(), [...core.ERROR_CODES].sort(), 'one class per code');
    for (const [error, code] of cases) {
      assert.equal(error.code, code);
      assert.ok(core.isApiKeyError(error));
      assert.ok(error instanceof Error);
      assert.equal((error.toJSON() as { code: string }).code, code);
    }
    assert.equal(core.isApiKeyError(new Error('plain')), false);
    assert.equal(core.isApiKeyError({ code: 'ERR_APIKEY_INPUT' }), false);
  });
});
