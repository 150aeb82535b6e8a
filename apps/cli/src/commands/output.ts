// Owns human-readable rendering of keys for stdout: a details block, a table, and the "store these now" note.
// JSON output is plain JSON.stringify of core's objects and lives with each command.

import type { ApiKey } from '@apikey/core';

export const STORE_NOTE =
  'Store these keys now, in a password manager or secret store: anyone holding one can call every API the key is subscribed to.';

type Style = { bold(s: string): string; dim(s: string): string; yellow(s: string): string };

export function style(color: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001B[${open}m${s}\u001B[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), yellow: wrap(33, 39) };
}

export function keyDetails(key: ApiKey, o: { showKeys: boolean }): string {
  const rows: [string, string][] = [
    ['ID', key.apiKeyId],
    ['Name', key.apiKeyName ?? ''],
    ['Description', key.apiKeyDescription ?? ''],
    ['Enabled', key.isEnabled === undefined ? '' : key.isEnabled ? 'yes' : 'no'],
  ];
  if (key.modTime !== undefined) rows.push(['Modified', String(key.modTime)]);
  if (o.showKeys) {
    if (key.primaryKey !== undefined) rows.push(['Primary key', key.primaryKey]);
    if (key.secondaryKey !== undefined) rows.push(['Secondary key', key.secondaryKey]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

export function keyTable(keys: readonly ApiKey[]): string {
  const header = ['ID', 'NAME', 'ENABLED', 'DESCRIPTION'];
  const rows = keys.map((k) => [k.apiKeyId, k.apiKeyName ?? '', k.isEnabled === false ? 'no' : k.isEnabled ? 'yes' : '', k.apiKeyDescription ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] as string)].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] as number) - [...c].length))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
