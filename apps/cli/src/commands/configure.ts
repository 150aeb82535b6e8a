// Owns `apikey configure`: collects an access key (visible) and a secret key (masked whenever stdin is a
// terminal, stdin lines otherwise; never a flag) and stores them in one profile of ~/.ncloud/configure in the
// style the file already has, without touching the rest.

import { Buffer } from 'node:buffer';
import process from 'node:process';
import { isatty } from 'node:tty';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { EXIT } from './errors.ts';
import { configurePath, hasDefaultProfile, profileReadByPythonSdk, readIfExists, upsertProfile, writeConfigureFile } from './profile-file.ts';

export type ConfigureAnswers = { accessKey: string; secretKey: string };

const PROFILE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export async function runConfigure(args: ParsedArgs, io: Io): Promise<number> {
  const profile = args.global.profile ?? (io.env.NCLOUD_PROFILE || 'DEFAULT');
  // The name becomes a `[section]` line: the same rule as --profile, so no value can add lines to the file.
  if (!PROFILE_NAME.test(profile)) throw new UsageError('NCLOUD_PROFILE must be 1-64 letters, digits, _ . or -');
  const path = configurePath(io.env);
  let answers: ConfigureAnswers | undefined;
  // A terminal on stdin echoes what is typed unless raw mode is on, so whenever stdin is a terminal the keys are
  // typed into the masked form, even in CI or with stdout piped (the form then draws on stderr).
  if (io.stdinIsTTY) {
    answers = await promptMasked(io, profile, path);
    if (!answers) return EXIT.interrupted;
  } else {
    answers = parseStdinAnswers(await readAllStdin());
  }
  checkKey(answers.accessKey, 'access key');
  checkKey(answers.secretKey, 'secret key');

  const entries: Record<string, string> = {
    ncloud_access_key_id: answers.accessKey,
    ncloud_secret_access_key: answers.secretKey,
  };
  if (args.global.site) entries.apikey_site = args.global.site;
  if (args.global.endpoint) entries.apikey_endpoint = args.global.endpoint;
  const text = upsertProfile(readIfExists(path) ?? '', profile, entries);
  writeConfigureFile(path, text);
  io.out(`Saved credentials for profile "${profile}" to ${path} (mode 0600).\n`);
  const note = pythonSdkNote(text, profile);
  if (note !== undefined) io.err(`note: ${note}\n`);
  return EXIT.ok;
}

/**
 * NCP's Python SDK ignores profiles and takes the last keys in the file: once a named profile's keys come after
 * the default ones, that SDK signs with the named profile's account. Said plainly, because nothing else shows it.
 */
export function pythonSdkNote(text: string, written: string): string | undefined {
  const read = profileReadByPythonSdk(text);
  if (read === undefined || read === 'DEFAULT' || !hasDefaultProfile(text)) return undefined;
  const whose = read === written ? 'these keys' : `the keys of profile "${read}"`;
  return `NCP's Python SDK ignores profiles and uses the last keys in the file, so from now on it signs with ${whose}, not the default profile's. ` +
    'The ncloud CLI and apikey (without --profile) still use the default profile.';
}

/** The Ink form on whichever of stdout/stderr is the terminal; undefined when cancelled. */
async function promptMasked(io: Io, profile: string, path: string): Promise<ConfigureAnswers | undefined> {
  const screen = io.stdoutIsTTY ? process.stdout : isatty(2) ? process.stderr : undefined;
  if (screen === undefined) {
    throw new UsageError('stdin is a terminal but neither stdout nor stderr is, so the secret key could not be typed masked; ' +
      "pipe the access key and the secret key on stdin instead (printf '%s\\n%s\\n' \"$AK\" \"$SK\" | apikey configure)");
  }
  // Ink draws only its final frame when it believes it runs in CI; a person at this terminal needs every
  // frame to see the prompts. Ink reads CI when it loads, which is just below (this process only).
  if (process.env.CI !== undefined) process.env.CI = 'false';
  const { promptOn } = await import('./configure-prompt.tsx');
  return promptOn(screen, { profile, path });
}

/** Input that is not a terminal: the first line is the access key, the second the secret key. */
export function parseStdinAnswers(text: string): ConfigureAnswers {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const accessKey = lines[0] ?? '';
  const secretKey = lines[1] ?? '';
  if (accessKey === '') throw new UsageError('configure reads the access key from the first line of stdin, and it is empty');
  if (secretKey === '') throw new UsageError('configure reads the secret key from the second line of stdin, and it is missing');
  return { accessKey, secretKey };
}

function checkKey(value: string, what: string): void {
  if (value === '') throw new UsageError(`the ${what} is empty`);
  if (!/^[\x21-\x7e]{1,256}$/.test(value)) throw new UsageError(`the ${what} must be printable ASCII without spaces (at most 256 characters)`);
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
