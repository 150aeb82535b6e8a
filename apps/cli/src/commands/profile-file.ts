// Owns ~/.ncloud/configure on disk: locating it from HOME, reading it with an ssh-style permission warning,
// and rewriting one profile's keys in the style the file already has, leaving every other line untouched.

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

// Who else reads this file, and how (the reason for the rules below):
// - the ncloud CLI writes `[DEFAULT]` and one `[name]` section per profile;
// - NCP's JS SDK parses it as INI and reads only top-level `ncloud_access_key_id` / `ncloud_secret_access_key`
//   (keys before any section header), so a file in that style must stay in that style;
// - NCP's Python SDK ignores section headers and takes the last occurrence of each key in the whole file.
// So the default profile lives in the top-level block when the file already has one, else in `[DEFAULT]`;
// every existing occurrence of a key being set is replaced (never a second copy beside an old value).

const DEFAULT_PROFILE = 'DEFAULT';

type Block = { name: string | undefined; header: number; end: number };

const sectionName = (line: string): string | undefined => /^\s*\[([^\]]+)\]\s*$/.exec(line)?.[1]?.trim();
const settingKey = (line: string): string | undefined => {
  if (/^\s*[#;]/.test(line)) return undefined;
  const eq = line.indexOf('=');
  const key = eq <= 0 ? '' : line.slice(0, eq).trim();
  return key === '' ? undefined : key;
};

/** The file's blocks: the top-level one (name undefined, header -1) and one per section header. */
function blocksOf(lines: readonly string[]): Block[] {
  const blocks: Block[] = [{ name: undefined, header: -1, end: lines.length }];
  lines.forEach((line, i) => {
    const name = sectionName(line);
    if (name === undefined) return;
    (blocks[blocks.length - 1] as Block).end = i;
    blocks.push({ name, header: i, end: lines.length });
  });
  return blocks;
}

const hasSettings = (lines: readonly string[], b: Block): boolean => lines.slice(b.header + 1, b.end).some((l) => settingKey(l) !== undefined);

/**
 * Sets `entries` for one profile of an INI text, keeping the file's style and every other line. For the
 * default profile that is the top-level block when it holds settings (NCP's SDK style) or `[DEFAULT]`
 * (the ncloud CLI's); for another profile its `[name]` section. Every existing line of a key being set is
 * rewritten in place; keys not present yet are appended to the block, which is created when absent.
 */
export function upsertProfile(text: string, profile: string, entries: Record<string, string>): string {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const blocks = blocksOf(lines);
  const top = blocks[0] as Block;
  const isDefault = profile === DEFAULT_PROFILE;
  const targets = blocks.filter((b) => (isDefault ? b.name === undefined || b.name === DEFAULT_PROFILE : b.name === profile));
  const wanted = new Map(Object.entries(entries));
  const pending = new Map(wanted);
  for (const b of targets) {
    for (let i = b.header + 1; i < b.end; i++) {
      const key = settingKey(lines[i] as string);
      const v = key === undefined ? undefined : wanted.get(key);
      if (key !== undefined && v !== undefined) {
        lines[i] = `${key}=${v}`;
        pending.delete(key);
      }
    }
  }
  if (pending.size === 0) return `${lines.join('\n')}\n`;
  const added = [...pending].map(([k, v]) => `${k}=${v}`);
  const home = isDefault && hasSettings(lines, top) ? top : targets.find((b) => b.name !== undefined);
  if (home === undefined) {
    // A new [DEFAULT] goes before the first section (where the ncloud CLI keeps it); any other section last.
    const firstSection = blocks[1];
    if (isDefault && firstSection !== undefined) {
      lines.splice(firstSection.header, 0, `[${profile}]`, ...added, '');
    } else {
      if (lines.length && (lines[lines.length - 1] as string).trim() !== '') lines.push('');
      lines.push(`[${profile}]`, ...added);
    }
    return `${lines.join('\n')}\n`;
  }
  // Append after the block's last non-blank line so a blank separator before the next section survives.
  let insertAt = home.end;
  while (insertAt > home.header + 1 && (lines[insertAt - 1] as string).trim() === '') insertAt--;
  lines.splice(insertAt, 0, ...added);
  return `${lines.join('\n')}\n`;
}

/**
 * The profile whose access key NCP's Python SDK will use: it ignores section headers and takes the last
 * `ncloud_access_key_id` in the file. 'DEFAULT' for the top-level block; undefined when there is none.
 */
export function profileReadByPythonSdk(text: string): string | undefined {
  let current = DEFAULT_PROFILE;
  let found: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const name = sectionName(line);
    if (name !== undefined) current = name;
    else if (settingKey(line) === 'ncloud_access_key_id') found = current;
  }
  return found;
}

/** Whether the file has default-profile credentials (top-level keys or a [DEFAULT] section) at all. */
export function hasDefaultProfile(text: string): boolean {
  const lines = text.split(/\r?\n/);
  return blocksOf(lines).some((b) => (b.name === undefined || b.name === DEFAULT_PROFILE) && lines.slice(b.header + 1, b.end).some((l) => settingKey(l) === 'ncloud_access_key_id'));
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
