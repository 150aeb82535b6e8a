// `apikey configure` and the profile file: 0600/0700 modes, masked secret entry, other profiles and comments
// preserved, and an ssh-style warning when the file is readable by others.

import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { upsertProfile } from '../src/commands/profile-file.ts';
import { ConfigureForm } from '../src/ui/configure-form.tsx';
import { ACCESS_KEY, runCli, SECRET_KEY, startEmulator, tempHome, type Served } from './helpers.ts';
import { KEYS, plain, tick, until } from './ink-helpers.ts';

let server: Served;
beforeAll(async () => {
  server = await startEmulator();
});
afterAll(async () => {
  await server.close();
});

const fileOf = (home: string) => join(home, '.ncloud', 'configure');

describe('apikey configure (stdin lines when not a TTY)', () => {
  it('writes the profile with mode 0600 in a 0700 directory and never echoes the secret', async () => {
    const home = tempHome();
    const r = await runCli(['configure'], { home, input: `${ACCESS_KEY}\n${SECRET_KEY}\n` });
    expect(r.code).toBe(0);
    expect(statSync(fileOf(home)).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, '.ncloud')).mode & 0o777).toBe(0o700);
    expect(readFileSync(fileOf(home), 'utf8')).toBe(`[DEFAULT]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\n`);
    expect(r.stdout + r.stderr).not.toContain(SECRET_KEY);
  });

  it('keeps other profiles, comments and keys when adding or replacing one profile', async () => {
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { mode: 0o700 });
    const before = '# my ncloud settings\n[DEFAULT]\nncloud_access_key_id=OLD\nncloud_secret_access_key=OLDSECRET\nncloud_api_url=https://ncloud.apigw.ntruss.com\n\n[other]\nncloud_access_key_id=OTHER\n';
    writeFileSync(fileOf(home), before, { mode: 0o644 });
    const r = await runCli(['configure', '--profile', 'work', '--site', 'gov'], { home, input: 'WORKKEY\nWORKSECRET\n' });
    expect(r.code).toBe(0);
    const after = readFileSync(fileOf(home), 'utf8');
    expect(after).toBe(`${before}\n[work]\nncloud_access_key_id=WORKKEY\nncloud_secret_access_key=WORKSECRET\napikey_site=gov\n`);
    // A file that used to be 0644 is tightened.
    expect(statSync(fileOf(home)).mode & 0o777).toBe(0o600);

    const again = await runCli(['configure'], { home, input: 'NEWKEY\nNEWSECRET\n' });
    expect(again.code).toBe(0);
    const text = readFileSync(fileOf(home), 'utf8');
    expect(text).toContain('[DEFAULT]\nncloud_access_key_id=NEWKEY\nncloud_secret_access_key=NEWSECRET\nncloud_api_url=https://ncloud.apigw.ntruss.com\n');
    expect(text).toContain('[other]\nncloud_access_key_id=OTHER');
    expect(text).toContain('[work]\nncloud_access_key_id=WORKKEY');
    expect(text).not.toContain('OLDSECRET');
  });

  it('refuses an NCLOUD_PROFILE that would add lines to the file, and writes nothing', async () => {
    const home = tempHome();
    const r = await runCli(['configure'], { home, input: 'K\nS\n', env: { NCLOUD_PROFILE: 'x]\nncloud_access_key_id=EVIL\n[y' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NCLOUD_PROFILE must be');
    expect(() => statSync(fileOf(home))).toThrow();
  });

  it('exits 2 and writes nothing when the secret line is missing', async () => {
    const home = tempHome();
    const r = await runCli(['configure'], { home, input: `${ACCESS_KEY}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('secret key');
    expect(() => statSync(fileOf(home))).toThrow();
  });
});

describe('profile file in use', () => {
  it('signs with the profile credentials and warns when the file is readable by group/others', async () => {
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { mode: 0o700 });
    writeFileSync(fileOf(home), `[DEFAULT]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\n`);
    chmodSync(fileOf(home), 0o644);
    const r = await runCli(['list', '--json'], { home, env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
    expect(r.stderr).toContain('warning:');
    expect(r.stderr).toContain(`chmod 600 ${fileOf(home)}`);
    expect(r.stderr).not.toContain(SECRET_KEY);

    chmodSync(fileOf(home), 0o600);
    const quiet = await runCli(['list', '--json'], { home, env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('a --profile or NCLOUD_PROFILE not in the file exits 2 and sends nothing, even with credentials in the environment', async () => {
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { mode: 0o700 });
    writeFileSync(fileOf(home), `[DEFAULT]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\n[prod]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\n`, { mode: 0o600 });
    server.emulator.inspect.reset();
    const env = { NCLOUD_APIGW_ENDPOINT: server.url, NCLOUD_ACCESS_KEY: ACCESS_KEY, NCLOUD_SECRET_KEY: SECRET_KEY };
    const byFlag = await runCli(['--profile', 'prdo', 'create', '--name', 'typo-key'], { home, env });
    expect(byFlag.code).toBe(2);
    expect(byFlag.stderr).toContain('Profile [prdo] (from --profile) is not in ~/.ncloud/configure (profiles there: DEFAULT, prod)');
    const byEnv = await runCli(['create', '--name', 'typo-key', '--json'], { home, env: { ...env, NCLOUD_PROFILE: 'prdo' } });
    expect(byEnv.code).toBe(2);
    expect(JSON.parse(byEnv.stderr).error.code).toBe('ERR_APIKEY_CREDENTIALS');
    const noFile = await runCli(['--profile', 'prod', 'list'], { env });
    expect(noFile.code).toBe(2);
    expect(server.emulator.inspect.requests()).toEqual([]);
  });

  it('uses --profile to pick a section', async () => {
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { mode: 0o700 });
    writeFileSync(fileOf(home), `[DEFAULT]\nncloud_access_key_id=WRONG\nncloud_secret_access_key=WRONG\n[ci]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\n`, { mode: 0o600 });
    const ok = await runCli(['--profile', 'ci', 'list', '--json'], { home, env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(ok.code).toBe(0);
    const wrong = await runCli(['list', '--json'], { home, env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(wrong.code).toBe(3);
  });
});

describe('upsertProfile', () => {
  it('creates a file from nothing and appends to an existing section before the next one', () => {
    expect(upsertProfile('', 'DEFAULT', { a: '1' })).toBe('[DEFAULT]\na=1\n');
    expect(upsertProfile('[x]\nk=v\n\n[y]\nz=1\n', 'x', { n: '2', k: 'w' })).toBe('[x]\nk=w\nn=2\n\n[y]\nz=1\n');
  });
  it('splits on the first = so values containing = survive', () => {
    expect(upsertProfile('[p]\nsecret=ab==\nkeep=x=y\n', 'p', { secret: 'cd==' })).toBe('[p]\nsecret=cd==\nkeep=x=y\n');
  });
  it('keeps an SDK-style file (top-level keys) in that style: replaced in place, no [DEFAULT] beside them', () => {
    const before = '# sdk style\nncloud_access_key_id = OLD\nncloud_secret_access_key = OLDSECRET\n\n[ci]\nncloud_access_key_id = CI\n';
    expect(upsertProfile(before, 'DEFAULT', { ncloud_access_key_id: 'NEW', ncloud_secret_access_key: 'NEWSECRET', apikey_site: 'gov' }))
      .toBe('# sdk style\nncloud_access_key_id=NEW\nncloud_secret_access_key=NEWSECRET\napikey_site=gov\n\n[ci]\nncloud_access_key_id = CI\n');
  });
  it('replaces every old line of a key (duplicates, and top-level keys beside a [DEFAULT]) so no reader sees an old value', () => {
    const before = 'ncloud_access_key_id=TOP\n[DEFAULT]\nncloud_access_key_id=SEC1\nncloud_access_key_id=SEC2\n';
    expect(upsertProfile(before, 'DEFAULT', { ncloud_access_key_id: 'NEW' })).toBe('ncloud_access_key_id=NEW\n[DEFAULT]\nncloud_access_key_id=NEW\nncloud_access_key_id=NEW\n');
  });
  it('puts a new [DEFAULT] before the first section, and ignores keys named like Object properties', () => {
    expect(upsertProfile('# hi\n[ci]\na=1\n', 'DEFAULT', { a: '2' })).toBe('# hi\n[DEFAULT]\na=2\n\n[ci]\na=1\n');
    expect(upsertProfile('[p]\nconstructor=x\n', 'p', { a: '1' })).toBe('[p]\nconstructor=x\na=1\n');
  });
});

/** NCP's JS SDK: an INI parse of which only the top-level (section-less) keys are read. */
function readLikeJsSdk(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*\[/.test(line)) break;
    const m = /^\s*([^#;=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

/** NCP's Python SDK: section headers ignored, the last occurrence of each key in the file wins. */
function readLikePythonSdk(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^#;=\s[][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

describe('the profile file stays readable by NCP\'s own SDKs', () => {
  const writeFile = (home: string, text: string) => {
    mkdirSync(join(home, '.ncloud'), { mode: 0o700 });
    writeFileSync(fileOf(home), text, { mode: 0o600 });
  };

  it('rewriting an SDK-style file replaces the old keys: the JS and Python SDKs and apikey all read the new ones', async () => {
    const home = tempHome();
    writeFile(home, 'ncloud_access_key_id = OLDKEY\nncloud_secret_access_key = OLDSECRET\nncloud_api_url = https://ncloud.apigw.ntruss.com\n');
    const r = await runCli(['configure'], { home, input: `${ACCESS_KEY}\n${SECRET_KEY}\n` });
    expect(r.code).toBe(0);
    const text = readFileSync(fileOf(home), 'utf8');
    expect(text).not.toContain('[DEFAULT]');
    expect(text).not.toContain('OLD');
    for (const read of [readLikeJsSdk, readLikePythonSdk]) {
      expect(read(text)).toMatchObject({ ncloud_access_key_id: ACCESS_KEY, ncloud_secret_access_key: SECRET_KEY, ncloud_api_url: 'https://ncloud.apigw.ntruss.com' });
    }
    expect(r.stderr).toBe('');
    const list = await runCli(['list', '--json'], { home, env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(list.code).toBe(0);
  });

  it('writing a named profile after the default one says the Python SDK now reads that profile', async () => {
    const home = tempHome();
    writeFile(home, `[DEFAULT]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\n`);
    const r = await runCli(['configure', '--profile', 'staging'], { home, input: 'STAGINGKEY\nSTAGINGSECRET\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^note: NCP's Python SDK ignores profiles and uses the last keys in the file, so from now on it signs with these keys, not the default profile's\./);
    const text = readFileSync(fileOf(home), 'utf8');
    expect(readLikePythonSdk(text)).toMatchObject({ ncloud_access_key_id: 'STAGINGKEY', ncloud_secret_access_key: 'STAGINGSECRET' });
    // apikey itself still signs with the default profile.
    const list = await runCli(['list', '--json'], { home, env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(list.code).toBe(0);

    // Re-saving the default profile keeps saying so: the Python SDK still reads [staging].
    const again = await runCli(['configure'], { home, input: `${ACCESS_KEY}\n${SECRET_KEY}\n` });
    expect(again.stderr).toContain('it signs with the keys of profile "staging"');
    expect(again.stderr).not.toContain(SECRET_KEY);
  });

  it('says nothing about the Python SDK when the file has only the one named profile', async () => {
    const home = tempHome();
    const r = await runCli(['configure', '--profile', 'solo'], { home, input: 'K\nS\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('interactive configure form', () => {
  it('shows the access key, masks the secret, and returns both', async () => {
    const onDone = vi.fn();
    const r = render(<ConfigureForm profile="DEFAULT" path="/tmp/x/configure" onDone={onDone} />);
    await tick();
    r.stdin.write('AKVISIBLE');
    await until(r.lastFrame, 'AKVISIBLE');
    r.stdin.write(KEYS.enter);
    await until(r.lastFrame, 'NCP secret key');
    r.stdin.write('s3cr3t-VALUE');
    await until(r.lastFrame, '************');
    for (const f of r.frames) expect(plain(f)).not.toContain('s3cr3t');
    r.stdin.write(KEYS.backspace);
    await until(r.lastFrame, /secret key: \*{11}(?!\*)/);
    r.stdin.write('E\r');
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith({ accessKey: 'AKVISIBLE', secretKey: 's3cr3t-VALUE' }));
    for (const f of r.frames) expect(plain(f)).not.toContain('s3cr3t');
    r.unmount();
  });

  it('cancels on Ctrl+C without returning anything', async () => {
    const onDone = vi.fn();
    const r = render(<ConfigureForm profile="DEFAULT" path="/tmp/x/configure" onDone={onDone} />);
    await tick();
    r.stdin.write(KEYS.ctrlC);
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledWith(undefined));
    r.unmount();
  });
});
