// Owns ~/.ncloud/configure on disk: locating it from HOME, reading it with an ssh-style permission warning,
// and rewriting one profile's keys while leaving every other line (sections, comments) untouched.

import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import type { Io } from '../io.ts';

export function configurePath(env: Record<string, string | undefined>): string {
  return join(env.HOME || homedir(), '.ncloud', 'configure');
}

/** The file's text, or undefined when it does not exist. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The file's text, or undefined when it does not exist. Warns when group or others can read it. */
export function readConfigureFile(path: string, io: Io): string | undefined {
  const text = readIfExists(path);
  if (text === undefined) return undefined;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    io.err(`warning: ${path} is accessible by group or others (mode ${mode.toString(8).padStart(4, '0')}); it holds your secret key. Fix with: chmod 600 ${path}\n`);
  }
  return text;
}

/**
 * Sets `entries` inside `[section]` of an INI text. Existing keys in that section are replaced in place,
 * missing ones appended at the section's end, and the section is created when absent.
 */
export function upsertSection(text: string, section: string, entries: Record<string, string>): string {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const header = (l: string) => /^\s*\[([^\]]+)\]\s*$/.exec(l)?.[1]?.trim();
  let start = -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const h = header(lines[i] as string);
    if (h === undefined) continue;
    if (start !== -1) { end = i; break; }
    if (h === section) start = i;
  }
  const pending = new Map(Object.entries(entries));
  if (start === -1) {
    if (lines.length && (lines[lines.length - 1] as string).trim() !== '') lines.push('');
    lines.push(`[${section}]`, ...[...pending].map(([k, v]) => `${k}=${v}`));
    return `${lines.join('\n')}\n`;
  }
  for (let i = start + 1; i < end; i++) {
    const line = lines[i] as string;
    const eq = line.indexOf('=');
    if (eq === -1 || /^\s*[#;]/.test(line)) continue;
    const key = line.slice(0, eq).trim();
    const v = pending.get(key);
    if (v !== undefined) {
      lines[i] = `${key}=${v}`;
      pending.delete(key);
    }
  }
  // Append after the section's last non-blank line so a blank separator before the next section survives.
  let insertAt = end;
  while (insertAt > start + 1 && (lines[insertAt - 1] as string).trim() === '') insertAt--;
  lines.splice(insertAt, 0, ...[...pending].map(([k, v]) => `${k}=${v}`));
  return `${lines.join('\n')}\n`;
}

/** Writes the file 0600 (directory 0700) through a temp file + rename, so a crash never leaves half a secret. */
export function writeConfigureFile(path: string, text: string): void {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
