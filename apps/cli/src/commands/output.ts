// Owns human-readable rendering of keys for stdout: a details block, a table (or plain tab-separated rows when
// stdout is not a terminal), and the "store these now" note. Every value shown passes through core's printable():
// names and descriptions come from NCP and may hold escape sequences a terminal would run. JSON output is plain
// JSON.stringify of core's objects (JSON escapes control characters itself) and lives with each command.
// printable comes from core's zod-free subpath so screens that import this module do not load all of core.

import type { ApiKey } from '@apikey/core';
import { printable } from '@apikey/core/printable';

export { printable };

/** Header a caller sends the key in when calling a product's stage. */
export const API_KEY_HEADER = 'x-ncp-apigw-api-key';

/** What NCP's key–product relation status means for someone about to call the API with the key. */
export function productStatusMeaning(status: string | null): string {
  if (status === 'ACCEPTED') return 'works now';
  if (status === 'REQUEST') return "waits for the product owner's acceptance";
  if (status === null) return 'status unknown';
  return `refused by the product owner (${printable(status)})`;
}

export const STORE_NOTE =
  'Store these keys now, in a password manager or secret store: anyone holding one can call every API the key is subscribed to.';

type Style = { bold(s: string): string; dim(s: string): string; yellow(s: string): string };

export function style(color: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (color ? `\u001B[${open}m${s}\u001B[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), yellow: wrap(33, 39) };
}

export function keyDetails(key: ApiKey, o: { showKeys: boolean }): string {
  const rows: [string, string][] = [
    ['ID', printable(key.apiKeyId)],
    ['Name', printable(key.apiKeyName ?? '')],
    ['Description', printable(key.apiKeyDescription ?? '')],
    ['Enabled', key.isEnabled === undefined ? '' : key.isEnabled ? 'yes' : 'no'],
  ];
  if (key.modTime !== undefined) rows.push(['Modified', printable(String(key.modTime))]);
  if (o.showKeys) {
    if (key.primaryKey !== undefined) rows.push(['Primary key', printable(key.primaryKey)]);
    if (key.secondaryKey !== undefined) rows.push(['Secondary key', printable(key.secondaryKey)]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n');
}

const enabledText = (k: ApiKey) => (k.isEnabled === false ? 'no' : k.isEnabled ? 'yes' : '');
const rowOf = (k: ApiKey) => [k.apiKeyId, k.apiKeyName ?? '', enabledText(k), k.apiKeyDescription ?? ''].map(printable);

/** For a terminal: aligned columns under a header. */
export function keyTable(keys: readonly ApiKey[]): string {
  const header = ['ID', 'NAME', 'ENABLED', 'DESCRIPTION'];
  const rows = keys.map(rowOf);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] as string)].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] as number) - [...c].length))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * For a pipe or a file (gh's habit): one key per line, fields id, name, enabled (yes/no), description separated
 * by tabs, no header and no footer. printable() escapes tabs and newlines inside a value, so a row is one line.
 */
export function keyRows(keys: readonly ApiKey[]): string {
  return keys.map((k) => `${rowOf(k).join('\t')}\n`).join('');
}
