// `apikey configure list` as a subprocess: every profile of ~/.ncloud/configure (top-level keys count as
// [DEFAULT]), the one in use marked, the access key masked to its last 4 characters and no part of any secret key.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.ts';
import { runConfigureList } from '../src/commands/configure-list.ts';
import { runCli, tempHome } from './helpers.ts';

const SECRET_A = 'SKaaaaQ1w2e3r4t5y6u7i8o9p0ZXCVBNMasdfgh';
const SECRET_B = 'SKbbbbM9n8b7v6c5x4z3l2k1j0POIUYTREWQlkjh';
const ACCESS_A = 'AKDEFAULT0000000WXYZ';
const ACCESS_B = 'AKCIPROFILE00000QRST';

function homeWith(text: string, mode = 0o600): string {
  const home = tempHome();
  mkdirSync(join(home, '.ncloud'), { recursive: true });
  writeFileSync(join(home, '.ncloud', 'configure'), text, { mode });
  return home;
}

// Top-level keys (NCP SDK style) are the [DEFAULT] profile; [empty] has no keys at all.
const FILE = `ncloud_access_key_id=${ACCESS_A}\nncloud_secret_access_key=${SECRET_A}\n\n[ci]\nncloud_access_key_id=${ACCESS_B}\nncloud_secret_access_key=${SECRET_B}\napikey_site=gov\napikey_endpoint=http://127.0.0.1:1/api/v1\n\n[empty]\n`;

const noSecretPart = (text: string) => {
  for (const s of [SECRET_A, SECRET_B]) for (let i = 0; i + 4 <= s.length; i += 2) expect(text).not.toContain(s.slice(i, i + 4));
};

describe('configure list', () => {
  it('lists profiles as tab-separated rows when piped, the one in use marked, secrets only as set/missing', async () => {
    const r = await runCli(['configure', 'list'], { home: homeWith(FILE) });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      `DEFAULT\t****************WXYZ\tset\t\t\tactive`,
      `ci\t****************QRST\tset\tgov\thttp://127.0.0.1:1/api/v1\t`,
      'empty\tmissing\tmissing\t\t\t',
    ]);
    noSecretPart(r.stdout + r.stderr);
    expect(r.stdout).not.toContain(ACCESS_A);
  });

  it('marks the profile chosen by --profile or NCLOUD_PROFILE; --json gives the same facts', async () => {
    const home = homeWith(FILE);
    const byEnv = await runCli(['configure', 'list', '--json'], { home, env: { NCLOUD_PROFILE: 'ci' } });
    expect(byEnv.code).toBe(0);
    const rows = JSON.parse(byEnv.stdout) as { profile: string; active: boolean; accessKey: string | null; secretKey: string | null; site: string | null }[];
    expect(rows).toEqual([
      { profile: 'DEFAULT', active: false, accessKey: '****************WXYZ', secretKey: 'set', site: null, endpoint: null },
      { profile: 'ci', active: true, accessKey: '****************QRST', secretKey: 'set', site: 'gov', endpoint: 'http://127.0.0.1:1/api/v1' },
      { profile: 'empty', active: false, accessKey: null, secretKey: null, site: null, endpoint: null },
    ]);
    const byFlag = await runCli(['configure', 'list', '--json', '-p', 'empty'], { home });
    expect((JSON.parse(byFlag.stdout) as { profile: string; active: boolean }[]).filter((p) => p.active).map((p) => p.profile)).toEqual(['empty']);
    noSecretPart(byEnv.stdout + byFlag.stdout);
  });

  it('says when there is no file, and that environment credentials take precedence', async () => {
    const r = await runCli(['configure', 'list'], { env: { NCLOUD_ACCESS_KEY: 'x', NCLOUD_SECRET_KEY: 'y' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('note: NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY in the environment take precedence');
    expect(r.stderr).toMatch(/No profiles in .*\.ncloud\/configure\. Create one with: apikey configure/);
    expect(JSON.parse((await runCli(['configure', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('warns when the file is readable by others, as every reader of it does', async () => {
    const r = await runCli(['configure', 'list'], { home: homeWith(FILE, 0o644) });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: .* is accessible by group or others/m);
  });
});

it('in a terminal: a table with a header, the profile in use starred, and the file it read', () => {
  const home = homeWith(FILE);
  let out = '';
  const io = { out: (t: string) => {
      out += t;
    }, err: () => {}, env: { HOME: home }, stdinIsTTY: true, stdoutIsTTY: true, color: false };
  expect(runConfigureList(parseArgs(['configure', 'list']), io)).toBe(0);
  const lines = out.split('\n');
  expect(lines[0]).toMatch(/^ {2}PROFILE +ACCESS KEY +SECRET KEY +SITE +ENDPOINT$/);
  expect(lines[1]).toMatch(/^\* DEFAULT +\*{16}WXYZ +set$/);
  expect(lines[2]).toMatch(/^ {2}ci +\*{16}QRST +set +gov +http:\/\/127\.0\.0\.1:1\/api\/v1$/);
  expect(out).toContain(`File: ${join(home, '.ncloud', 'configure')}`);
  noSecretPart(out);
});
