// The `apikey` entry point (bundled for Node, run from source on Deno). It parses argv, picks the mode and
// lazily imports only what that mode needs: --help never loads core, Ink or the emulator.
// This file and its static imports use the `process` global and process.getBuiltinModule instead of
// `import … from 'node:…'`: an ESM import of a builtin builds a facade of all its exports (node:fs alone pulls in
// the streams module), which was a third of --help's own start-up cost. Node ≥ 20.16 and Deno 2 both have both.
// --help and --version are answered before anything touches `process` at all (boot.ts says why).

import { parseArgs, type ParsedArgs } from './args.ts';
import { argv as processArgv, setExitCode, writeStdout } from './boot.ts';
import { isCommand } from './command-table.ts';
import type { Shell } from './completion.ts';
import { commandHelp, mainHelp } from './help.ts';
import { noColorEnv, processIo, type Io } from './io.ts';
import { isInteractive } from './mode.ts';
import { UsageError } from './usage-error.ts';
import { VERSION } from './version.ts';
import { wizardRouteFor } from './wizard-route.ts';

export async function main(argv: readonly string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const io = processIo(argv.includes('--no-color'));
    printUsageError(io, e, argv.includes('--json'));
    return 2;
  }
  // Help, version and completion write straight to fd 1 before anything touches `process` (boot.ts says why):
  // creating the process.stdout stream is a measurable part of a ~40 ms run, and none of them needs core.
  if (args.global.help) {
    writeStdout(args.command ? commandHelp(args.command, args.subcommand) : mainHelp());
    return 0;
  }
  if (args.global.version || args.command === 'version') {
    writeStdout(`${VERSION}\n`);
    return 0;
  }
  if (args.command === 'help') {
    const [topic, sub] = args.operands;
    writeStdout(topic !== undefined && isCommand(topic) ? commandHelp(topic, sub) : mainHelp());
    return 0;
  }
  if (args.command === 'completion') {
    // Loaded only here: running from source (Deno), every module --help loads is a file read and a transpile.
    const { completionScript } = await import('./completion.ts');
    writeStdout(completionScript(args.operands[0] as Shell));
    return 0;
  }
  // chalk reads FORCE_COLOR at import time and ignores NO_COLOR, so translate before Ink can load.
  if ((args.global.noColor || noColorEnv(process.env)) && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';
  const io = processIo(args.global.noColor);

  const interactive = isInteractive({
    stdinIsTTY: io.stdinIsTTY,
    stdoutIsTTY: io.stdoutIsTTY,
    env: io.env,
    json: args.flags.json === true,
    yes: args.flags.yes === true,
  });
  if (!args.command && !interactive) {
    io.out(mainHelp());
    return 0;
  }
  const route = interactive ? wizardRouteFor(args) : undefined;
  if (route) {
    if (args.global.debug) {
      printUsageError(io, new UsageError('--debug is only available for scriptable commands (its log lines would tear the interactive screen)'), false);
      return 2;
    }
    // Straight to Ink: the UI renders its first frame while core and the client load behind it.
    const { runWizardApp } = await import('./ui/run-wizard.tsx');
    return runWizardApp({ args, io, route });
  }
  const { runCommand } = await import('./commands/run.ts');
  return runCommand(args, io);
}

export function printUsageError(io: Io, e: UsageError, json: boolean): void {
  if (json) io.err(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
  else io.err(`error: ${e.message}\n${e.pointer}\n`);
}

// No top-level await, so this entry also builds as CommonJS for Node's bin (scripts/build.mjs says why). A failure
// is an unhandled rejection: Node and Deno print it and exit 1, as with a top-level await.
void main(processArgv()).then(setExitCode);
