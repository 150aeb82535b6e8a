// Owns `apikey configure list`: the profiles in ~/.ncloud/configure, which one a command would use, and what each
// holds — the access key masked to its last 4 characters, the secret key only as "set" or "missing" (no part of a
// secret is ever printed). A terminal gets a table; a pipe gets tab-separated rows; --json an array.

import { ACCESS_KEY_ENV, parseNcloudConfigure, printable, SECRET_KEY_ENV } from '@apikey/core';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { EXIT } from './errors.ts';
import { maskAccessKey } from './origin.ts';
import { configurePath, readConfigureFile } from './profile-file.ts';

export type ProfileRow = {
  profile: string;
  active: boolean;
  accessKey: string | null;
  secretKey: 'set' | null;
  site: string | null;
  endpoint: string | null;
};

export function profileRows(text: string, activeProfile: string): ProfileRow[] {
  const sections = parseNcloudConfigure(text);
  const value = (m: Map<string, string>, k: string) => {
    const v = m.get(k)?.trim();
    return v === undefined || v === '' ? null : v;
  };
  return [...sections].map(([profile, m]) => {
    const accessKey = value(m, 'ncloud_access_key_id');
    return {
      profile,
      active: profile === activeProfile,
      accessKey: accessKey === null ? null : maskAccessKey(accessKey),
      secretKey: value(m, 'ncloud_secret_access_key') === null ? null : 'set',
      site: value(m, 'apikey_site'),
      endpoint: value(m, 'apikey_endpoint'),
    };
  });
}

export function runConfigureList(args: ParsedArgs, io: Io): number {
  const path = configurePath(io.env);
  const active = args.global.profile ?? (io.env.NCLOUD_PROFILE?.trim() || 'DEFAULT');
  const text = readConfigureFile(path, io);
  const rows = text === undefined ? [] : profileRows(text, active);
  if (args.flags.json === true) {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const envSet = (names: readonly string[]) => names.some((n) => (io.env[n] ?? '').trim() !== '');
  if (envSet(ACCESS_KEY_ENV) || envSet(SECRET_KEY_ENV)) {
    io.err('note: NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY in the environment take precedence over these profiles unless --profile names one (see apikey auth status)\n');
  }
  if (rows.length === 0) {
    io.err(`No profiles in ${path}. Create one with: apikey configure [--profile P]\n`);
    return EXIT.ok;
  }
  const cells = rows.map((r) => [r.profile, r.accessKey ?? 'missing', r.secretKey ?? 'missing', r.site ?? '', r.endpoint ?? ''].map(printable));
  if (!io.stdoutIsTTY) {
    io.out(cells.map((c, i) => [...c, rows[i]?.active ? 'active' : ''].join('\t')).join('\n') + '\n');
    return EXIT.ok;
  }
  const header = ['PROFILE', 'ACCESS KEY', 'SECRET KEY', 'SITE', 'ENDPOINT'];
  const widths = header.map((h, col) => Math.max(h.length, ...cells.map((c) => (c[col] as string).length)));
  const line = (c: string[], mark: string) => `${mark} ${c.map((v, col) => v.padEnd(widths[col] as number)).join('  ')}`.trimEnd();
  io.out([line(header, ' '), ...cells.map((c, i) => line(c, rows[i]?.active ? '*' : ' '))].join('\n') + '\n');
  io.out(`\n* the profile commands use now${rows.some((r) => r.active) ? '' : ` ([${printable(active)}] is not in the file)`}. File: ${path}\n`);
  return EXIT.ok;
}
