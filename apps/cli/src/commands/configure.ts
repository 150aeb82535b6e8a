// Owns `apikey configure`: collects an access key (visible) and a secret key (masked in a terminal, stdin
// lines otherwise; never a flag) and stores them in one profile of ~/.ncloud/configure without touching the rest.

import { Buffer } from 'node:buffer';
import process from 'node:process';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { isCi } from '../mode.ts';
import { UsageError } from '../usage-error.ts';
import { EXIT } from './errors.ts';
import { configurePath, readIfExists, upsertSection, writeConfigureFile } from './profile-file.ts';

export type ConfigureAnswers = { accessKey: string; secretKey: string };

export async function runConfigure(args: ParsedArgs, io: Io): Promise<number> {
  const profile = args.global.profile ?? io.env.NCLOUD_PROFILE ?? 'DEFAULT';
  const path = configurePath(io.env);
  const interactive = io.stdinIsTTY && io.stdoutIsTTY && !isCi(io.env);
  let answers: ConfigureAnswers | undefined;
  if (interactive) {
    const { runConfigureForm } = await import('../ui/run-configure.tsx');
    answers = await runConfigureForm({ profile, path });
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
  writeConfigureFile(path, upsertSection(readIfExists(path) ?? '', profile, entries));
  io.out(`Saved credentials for profile "${profile}" to ${path} (mode 0600).\n`);
  return EXIT.ok;
}

/** Non-TTY input: the first line is the access key, the second the secret key. */
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
