// `apikey configure` and the profile file: 0600/0700 modes, masked secret entry, other profiles and comments
// preserved, and an ssh-style warning when the file is readable by others.

import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { upsertSection } from '../src/commands/profile-file.ts';
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

describe('upsertSection', () => {
  it('creates a file from nothing and appends to an existing section before the next one', () => {
    expect(upsertSection('', 'DEFAULT', { a: '1' })).toBe('[DEFAULT]\na=1\n');
    expect(upsertSection('[x]\nk=v\n\n[y]\nz=1\n', 'x', { n: '2', k: 'w' })).toBe('[x]\nk=w\nn=2\n\n[y]\nz=1\n');
  });
  it('splits on the first = so values containing = survive', () => {
    expect(upsertSection('[p]\nsecret=ab==\nkeep=x=y\n', 'p', { secret: 'cd==' })).toBe('[p]\nsecret=cd==\nkeep=x=y\n');
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
