// ~/.ncloud/configure parsing and credential/site/endpoint resolution precedence.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseNcloudConfigure, resolveCredentials, type ApiKeyError, type CredentialsError } from '@apikey/core';

const FILE = `
# written by ncloud configure
; another comment style
[DEFAULT]
ncloud_access_key_id = DEFAULT_AK
ncloud_secret_access_key = DEFAULT_SK==with=equals
ncloud_api_url = https://ncloud.apigw.ntruss.com

[project]
ncloud_access_key_id=PROJECT_AK
apikey_site = gov
apikey_endpoint = http://127.0.0.1:8080/api/v1

[broken]
ncloud_access_key_id
`;

describe('parseNcloudConfigure', () => {
  it('reads sections, skips comments and blank lines, and splits on the first =', () => {
    const s = parseNcloudConfigure(FILE);
    assert.equal(s.get('DEFAULT')?.get('ncloud_secret_access_key'), 'DEFAULT_SK==with=equals');
    assert.equal(s.get('project')?.get('ncloud_access_key_id'), 'PROJECT_AK');
    assert.equal(s.get('project')?.get('ncloud_secret_access_key'), undefined, 'sections are not merged');
    assert.equal(s.get('DEFAULT')?.has('# written by ncloud configure'), false);
  });

  it('survives a key without = (the Go SDK crashes), CRLF line endings and a BOM', () => {
    const s = parseNcloudConfigure('\ufeff[DEFAULT]\r\nncloud_access_key_id\r\nncloud_secret_access_key = SK \r\n');
    assert.equal(s.get('DEFAULT')?.get('ncloud_secret_access_key'), 'SK');
    assert.equal(s.get('DEFAULT')?.has('ncloud_access_key_id'), false);
  });

  it('does not let a later section overwrite an earlier one (Go SDK bug 1)', () => {
    const s = parseNcloudConfigure('[a]\nncloud_access_key_id = A\n[b]\nncloud_access_key_id = B\n');
    assert.equal(s.get('a')?.get('ncloud_access_key_id'), 'A');
    assert.equal(s.get('b')?.get('ncloud_access_key_id'), 'B');
  });
});

describe('resolveCredentials', () => {
  it('prefers env over the file, accepting both spellings', () => {
    for (const [ak, sk] of [['NCLOUD_ACCESS_KEY', 'NCLOUD_SECRET_KEY'], ['NCLOUD_ACCESS_KEY_ID', 'NCLOUD_SECRET_ACCESS_KEY']] as const) {
      const r = resolveCredentials({ env: { [ak]: 'ENV_AK', [sk]: 'ENV_SK' }, configureFileText: FILE });
      assert.deepEqual(r.credentials, { accessKey: 'ENV_AK', secretKey: 'ENV_SK' });
      assert.deepEqual([r.source.accessKey, r.source.secretKey], ['env', 'env']);
    }
  });

  it('uses the short spelling when both are set', () => {
    const r = resolveCredentials({ env: { NCLOUD_ACCESS_KEY: 'SHORT', NCLOUD_ACCESS_KEY_ID: 'LONG', NCLOUD_SECRET_KEY: 's', NCLOUD_SECRET_ACCESS_KEY: 'l' } });
    assert.deepEqual(r.credentials, { accessKey: 'SHORT', secretKey: 's' });
  });

  it('falls back profile section → [DEFAULT] key by key', () => {
    const r = resolveCredentials({ flags: { profile: 'project' }, env: {}, configureFileText: FILE });
    assert.deepEqual(r.credentials, { accessKey: 'PROJECT_AK', secretKey: 'DEFAULT_SK==with=equals' });
    assert.deepEqual([r.source.accessKey, r.source.secretKey], ['profile', 'default']);
    assert.equal(r.profile, 'project');
  });

  it('takes the profile from NCLOUD_PROFILE when no flag is given; the flag wins over it', () => {
    assert.equal(resolveCredentials({ env: { NCLOUD_PROFILE: 'project' }, configureFileText: FILE }).credentials.accessKey, 'PROJECT_AK');
    assert.equal(resolveCredentials({ flags: { profile: 'DEFAULT' }, env: { NCLOUD_PROFILE: 'project' }, configureFileText: FILE }).credentials.accessKey, 'DEFAULT_AK');
  });

  it('resolves site flag → NCLOUD_SITE → apikey_site → public', () => {
    const env = { NCLOUD_ACCESS_KEY: 'a', NCLOUD_SECRET_KEY: 'b' };
    assert.equal(resolveCredentials({ env }).site, 'public');
    assert.equal(resolveCredentials({ flags: { profile: 'project' }, env, configureFileText: FILE }).site, 'gov');
    assert.equal(resolveCredentials({ flags: { profile: 'project' }, env: { ...env, NCLOUD_SITE: 'fin' }, configureFileText: FILE }).site, 'fin');
    assert.equal(resolveCredentials({ flags: { profile: 'project', site: 'PUBLIC' }, env: { ...env, NCLOUD_SITE: 'fin' }, configureFileText: FILE }).site, 'public');
  });

  it('resolves endpoint flag → NCLOUD_APIGW_ENDPOINT → apikey_endpoint, and leaves it unset otherwise', () => {
    const env = { NCLOUD_ACCESS_KEY: 'a', NCLOUD_SECRET_KEY: 'b' };
    assert.equal(resolveCredentials({ env }).endpoint, undefined);
    assert.equal(resolveCredentials({ flags: { profile: 'project' }, env, configureFileText: FILE }).endpoint, 'http://127.0.0.1:8080/api/v1');
    assert.equal(resolveCredentials({ env: { ...env, NCLOUD_APIGW_ENDPOINT: 'http://127.0.0.1:1/api/v1/' } }).endpoint, 'http://127.0.0.1:1/api/v1');
    assert.equal(resolveCredentials({ flags: { endpoint: 'http://127.0.0.1:2/api/v1' }, env: { ...env, NCLOUD_APIGW_ENDPOINT: 'http://127.0.0.1:1/api/v1' } }).endpoint, 'http://127.0.0.1:2/api/v1');
  });

  it('an invalid site or endpoint is an InputError', () => {
    const env = { NCLOUD_ACCESS_KEY: 'a', NCLOUD_SECRET_KEY: 'b' };
    assert.throws(() => resolveCredentials({ env: { ...env, NCLOUD_SITE: 'mars' } }), (e: ApiKeyError) => e.code === 'ERR_APIKEY_INPUT' && /public, gov, fin/.test(e.message));
    assert.throws(() => resolveCredentials({ env: { ...env, NCLOUD_APIGW_ENDPOINT: 'nope' } }), (e: ApiKeyError) => e.code === 'ERR_APIKEY_INPUT');
  });

  it('says where the profile, site and endpoint came from: flag, env, the profile section, [DEFAULT] or built-in', () => {
    const env = { NCLOUD_ACCESS_KEY: 'a', NCLOUD_SECRET_KEY: 'b' };
    const none = resolveCredentials({ env });
    assert.deepEqual([none.source.profile, none.source.site, none.source.endpoint], ['built-in', 'built-in', 'built-in']);
    const file = resolveCredentials({ env: { ...env, NCLOUD_PROFILE: 'project' }, configureFileText: FILE });
    assert.deepEqual([file.source.profile, file.source.site, file.source.endpoint], ['env', 'profile', 'profile']);
    const flags = resolveCredentials({ flags: { profile: 'project', site: 'fin', endpoint: 'http://127.0.0.1:2/api/v1' }, env, configureFileText: FILE });
    assert.deepEqual([flags.source.profile, flags.source.site, flags.source.endpoint], ['flag', 'flag', 'flag']);
    const fromEnv = resolveCredentials({ env: { ...env, NCLOUD_SITE: 'gov', NCLOUD_APIGW_ENDPOINT: 'http://127.0.0.1:1/api/v1' } });
    assert.deepEqual([fromEnv.source.site, fromEnv.source.endpoint], ['env', 'env']);
    const fromDefault = resolveCredentials({ env, configureFileText: '[DEFAULT]\napikey_site = gov\n' });
    assert.equal(fromDefault.source.site, 'default');
  });

  it('a bad site names the variable (or flag, or file key) that set it, once', () => {
    const env = { NCLOUD_ACCESS_KEY: 'a', NCLOUD_SECRET_KEY: 'b' };
    const fails = (input: Parameters<typeof resolveCredentials>[0]) => {
      try {
        resolveCredentials(input);
      } catch (e) {
        return e as ApiKeyError & { issues: { path: string }[] };
      }
      throw new Error('expected an error');
    };
    const e = fails({ env: { ...env, NCLOUD_SITE: 'mars' } });
    assert.equal(e.message, 'NCLOUD_SITE must be one of public, gov, fin (got "mars")');
    assert.equal(e.issues[0]?.path, 'NCLOUD_SITE');
    assert.match(fails({ flags: { site: 'moon' }, env }).message, /^--site must be/);
    assert.match(fails({ env, configureFileText: '[DEFAULT]\napikey_site = moon\n' }).message, /^apikey_site in \[DEFAULT\] of ~\/\.ncloud\/configure must be/);
    assert.match(fails({ env: { ...env, NCLOUD_APIGW_ENDPOINT: 'nope' } }).message, /NCLOUD_APIGW_ENDPOINT must be an absolute http\(s\) URL/);
  });

  it('missing credentials name both env vars and `apikey configure`, and say what is missing', () => {
    assert.throws(
      () => resolveCredentials({ env: {} }),
      (e: CredentialsError) =>
        e.code === 'ERR_APIKEY_CREDENTIALS' && /NCLOUD_ACCESS_KEY/.test(e.message) && /NCLOUD_SECRET_KEY/.test(e.message) && /apikey configure/.test(e.message) && e.missing.length === 2,
    );
    assert.throws(() => resolveCredentials({ env: { NCLOUD_ACCESS_KEY: 'a', NCLOUD_SECRET_KEY: '  ' } }), (e: CredentialsError) => e.missing.join() === 'secretKey');
  });

  it('a --profile or NCLOUD_PROFILE that is not in the file is an error, whatever else is set', () => {
    const envCreds = { NCLOUD_ACCESS_KEY: 'ENV_AK', NCLOUD_SECRET_KEY: 'ENV_SK' };
    const cases: [string, Parameters<typeof resolveCredentials>[0], RegExp][] = [
      ['a typo with a [DEFAULT] to fall back to', { flags: { profile: 'prodd' }, env: {}, configureFileText: FILE }, /Profile \[prodd\] \(from --profile\) is not in ~\/\.ncloud\/configure \(profiles there: DEFAULT, project, broken\)/],
      ['a typo with credentials in the environment', { flags: { profile: 'prodd' }, env: envCreds, configureFileText: FILE }, /Profile \[prodd\] \(from --profile\)/],
      ['NCLOUD_PROFILE with credentials in the environment', { env: { ...envCreds, NCLOUD_PROFILE: 'prodd' }, configureFileText: FILE }, /Profile \[prodd\] \(from NCLOUD_PROFILE\)/],
      ['a profile when there is no file at all', { flags: { profile: 'ci' }, env: envCreds }, /there is no ~\/\.ncloud\/configure/],
      ['DEFAULT named on purpose when the file has no default keys', { env: { ...envCreds, NCLOUD_PROFILE: 'DEFAULT' }, configureFileText: '[ci]\nncloud_access_key_id = a\n' }, /Profile \[DEFAULT\]/],
    ];
    for (const [what, input, message] of cases) {
      assert.throws(
        () => resolveCredentials(input),
        (e: CredentialsError) => e.code === 'ERR_APIKEY_CREDENTIALS' && message.test(e.message) && /Nothing was sent/.test(e.message) && /apikey configure --profile/.test(e.message),
        what,
      );
    }
  });

  it('a profile name from the environment is shown with control characters escaped', () => {
    assert.throws(
      () => resolveCredentials({ env: { NCLOUD_PROFILE: 'x\x1b[2J' }, configureFileText: FILE }),
      (e: Error) => e.message.includes('[x\\x1b[2J]') && !e.message.includes('\x1b'),
    );
  });

  it('an explicit --profile outranks credentials in the environment; NCLOUD_PROFILE does not', () => {
    const env = { NCLOUD_ACCESS_KEY: 'ENV_AK', NCLOUD_SECRET_KEY: 'ENV_SK' };
    const byFlag = resolveCredentials({ flags: { profile: 'project' }, env, configureFileText: FILE });
    assert.deepEqual(byFlag.credentials, { accessKey: 'PROJECT_AK', secretKey: 'DEFAULT_SK==with=equals' });
    assert.deepEqual([byFlag.source.accessKey, byFlag.source.secretKey], ['profile', 'default']);
    const byEnv = resolveCredentials({ env: { ...env, NCLOUD_PROFILE: 'project' }, configureFileText: FILE });
    assert.deepEqual(byEnv.credentials, { accessKey: 'ENV_AK', secretKey: 'ENV_SK' });
  });

  it('reads an SDK-style file (top-level keys, no section) as the default profile', () => {
    const r = resolveCredentials({ env: {}, configureFileText: 'ncloud_access_key_id = TOP_AK\nncloud_secret_access_key = TOP_SK\n' });
    assert.deepEqual(r.credentials, { accessKey: 'TOP_AK', secretKey: 'TOP_SK' });
    assert.equal(resolveCredentials({ flags: { profile: 'DEFAULT' }, env: {}, configureFileText: 'ncloud_access_key_id = A\nncloud_secret_access_key = B\n' }).profile, 'DEFAULT');
  });

  it('never puts the secret into the error message', () => {
    assert.throws(
      () => resolveCredentials({ env: { NCLOUD_SECRET_KEY: 'SUPER_SECRET_VALUE' } }),
      (e: Error) => !e.message.includes('SUPER_SECRET_VALUE') && !JSON.stringify(e).includes('SUPER_SECRET_VALUE'),
    );
  });
});
