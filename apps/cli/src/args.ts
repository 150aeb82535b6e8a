// Owns the command-line grammar: turning argv into a typed ParsedArgs, or a UsageError that names the problem.
// What exists (commands, flags, operands) comes from command-table.ts. No I/O and no core imports, so --help
// stays fast.
// A usage error never repeats what was typed unless it is our own vocabulary or a near-miss of it (suggest.ts):
// an argument typed in the wrong place may be a secret, and error output ends up in terminals, logs and CI output.

import { allFlags, COMMAND_TABLE, COMMANDS, GLOBAL_FLAGS, isCommand, specFor, type CommandName, type CommandSpec, type FlagSpec } from './command-table.ts';
import { closeEnough, closest } from './suggest.ts';
import { UsageError } from './usage-error.ts';

export { COMMANDS, GLOBAL_FLAGS, type CommandName } from './command-table.ts';

export type Site = 'public' | 'gov' | 'fin';

export type GlobalOptions = {
  profile?: string;
  site?: Site;
  endpoint?: string;
  sandbox: boolean;
  debug: boolean;
  noColor: boolean;
  help: boolean;
  version: boolean;
};

export type ParsedArgs = {
  command: CommandName | undefined;
  /** `status` in `apikey auth status`, `list` in `apikey configure list`. */
  subcommand?: string;
  global: GlobalOptions;
  /** Command flags by their long name; booleans are true, strings are the raw value, repeatable ones a list. */
  flags: Record<string, string | boolean | string[]>;
  apiKeyId?: string;
  /** Other positional arguments: the shell of `completion`, the topic words of `help`. */
  operands: string[];
};

const FLAGS = allFlags();
const SHORT = new Map([...FLAGS].flatMap(([name, f]) => (f.short ? [[f.short, name] as const] : [])));
const SECRET_FLAG = /secret|access[-_]?key|password|token|signature/i;

/** `--flag` as written when it is ours or a near-miss of one of ours; otherwise only its position. */
function flagShown(name: string, position: number, vocabulary: readonly string[]): string {
  return vocabulary.some((v) => closeEnough(name, v)) ? `'--${name}'` : `(argument ${position})`;
}

function didYouMean(typed: string, candidates: readonly string[], prefix = ''): string {
  const c = closest(typed, candidates);
  return c === undefined ? '' : `; did you mean '${prefix}${c}'?`;
}

type Seen = { name: string; position: number; value: string | boolean };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let command: CommandName | undefined;
  let subcommand: string | undefined;
  const seen: Seen[] = [];
  const positionals: { value: string; position: number }[] = [];
  let onlyPositionals = false;

  const takeValue = (name: string, spec: FlagSpec, i: number): string => {
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('-') && next !== '-')) {
      throw new UsageError(`--${name} needs a value (${spec.valueName ?? 'VALUE'}); for a value that starts with '-', write --${name}=VALUE`);
    }
    return next;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const position = i + 1;
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      if (command === undefined) command = commandNamed(arg, position);
      else if (subcommand === undefined && positionals.length === 0 && COMMAND_TABLE[command].subcommands !== undefined) {
        subcommand = subcommandNamed(command, arg, position);
      } else positionals.push({ value: arg, position });
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      i = shortCluster(arg, i, position, seen, takeValue);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = FLAGS.get(name);
    if (spec === undefined) {
      if (SECRET_FLAG.test(name)) {
        throw new UsageError(`flags that carry secrets are not accepted (argument ${position}): secrets never go in flags; use NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY, ~/.ncloud/configure or 'apikey configure'`);
      }
      const known = command === undefined ? [...FLAGS.keys()] : flagNamesFor(command, subcommand);
      throw new UsageError(`unknown flag ${flagShown(name, position, known)}${command ? ` for '${command}'` : ''}${didYouMean(name, known, '--')}`, helpTopic(command, subcommand));
    }
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} does not take a value`);
      seen.push({ name, position, value: true });
      continue;
    }
    let value = eq === -1 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      value = takeValue(name, spec, i);
      i++;
    }
    seen.push({ name, position, value });
  }

  const spec = command === undefined ? undefined : specFor(command, subcommand);
  const topic = helpTopic(command, subcommand);
  const raw: Record<string, string | boolean | string[]> = {};
  for (const s of seen) {
    if (!(s.name in GLOBAL_FLAGS) && !(spec !== undefined && s.name in spec.flags)) {
      const where = command === undefined ? 'without a command' : `for '${topicText(command, subcommand)}'`;
      throw new UsageError(`--${s.name} is not a flag ${where}${didYouMean(s.name, spec ? Object.keys(spec.flags) : [], '--')}`, topic);
    }
    // A repeatable flag (create --product) keeps every value, in order; any other keeps the last.
    const before = raw[s.name];
    if (spec?.flags[s.name]?.repeatable === true && typeof s.value === 'string') raw[s.name] = [...(Array.isArray(before) ? before : []), s.value];
    else raw[s.name] = s.value;
  }
  const global = toGlobal(raw);
  const flags: Record<string, string | boolean | string[]> = {};
  if (spec !== undefined) for (const name of Object.keys(spec.flags)) if (raw[name] !== undefined) flags[name] = raw[name];

  const parsed: ParsedArgs = { command, global, flags, operands: [] };
  if (subcommand !== undefined) parsed.subcommand = subcommand;
  if (command !== undefined && spec !== undefined) {
    const base: CommandSpec = COMMAND_TABLE[command];
    if (base.subcommands !== undefined && subcommand === undefined && base.runsAlone !== true && !global.help) {
      throw new UsageError(`'${command}' needs a subcommand: ${Object.keys(base.subcommands).join(', ')}`, topic);
    }
    takeOperands(parsed, spec, positionals, topic);
    validateCommandFlags(command, flags);
  }
  return parsed;
}

function commandNamed(word: string, position: number): CommandName {
  if (isCommand(word)) return word;
  const guess = closest(word, COMMANDS);
  if (guess !== undefined) throw new UsageError(`unknown command '${word}'; did you mean '${guess}'?`);
  throw new UsageError(`unknown command (argument ${position}); commands: ${COMMANDS.join(', ')}`);
}

function subcommandNamed(command: CommandName, word: string, position: number): string | undefined {
  const subs = Object.keys(COMMAND_TABLE[command].subcommands ?? {});
  if (subs.includes(word)) return word;
  const guess = closest(word, subs);
  const shown = guess !== undefined ? `'${word}'` : `(argument ${position})`;
  throw new UsageError(`unknown ${command} subcommand ${shown}${guess !== undefined ? `; did you mean '${guess}'?` : `; subcommands: ${subs.join(', ')}`}`, command);
}

/** `-y`, `-n NAME`, `-nNAME`, `-yn NAME`: getopt's habit. */
function shortCluster(arg: string, i: number, position: number, seen: Seen[], takeValue: (name: string, spec: FlagSpec, i: number) => string): number {
  for (let k = 1; k < arg.length; k++) {
    const letter = arg[k] as string;
    const name = SHORT.get(letter);
    const spec = name === undefined ? undefined : FLAGS.get(name);
    if (name === undefined || spec === undefined) {
      // A single letter is safe to repeat; anything longer may be a pasted value.
      const shown = arg.length === 2 && /^[A-Za-z]$/.test(letter) ? `'-${letter}'` : `(argument ${position})`;
      throw new UsageError(`unknown flag ${shown}; short flags: ${[...SHORT.keys()].map((s) => `-${s}`).join(' ')}`);
    }
    if (spec.kind === 'boolean') {
      seen.push({ name, position, value: true });
      continue;
    }
    const rest = arg.slice(k + 1);
    if (rest !== '') {
      seen.push({ name, position, value: rest.startsWith('=') ? rest.slice(1) : rest });
      return i;
    }
    seen.push({ name, position, value: takeValue(name, spec, i) });
    return i + 1;
  }
  return i;
}

function takeOperands(parsed: ParsedArgs, spec: CommandSpec, positionals: { value: string; position: number }[], topic: string): void {
  const where = topicText(parsed.command as CommandName, parsed.subcommand);
  const operand = spec.operand;
  if (operand === undefined) {
    const first = positionals[0];
    if (first !== undefined) throw new UsageError(`unexpected argument (argument ${first.position}): '${where}' takes no arguments`, topic);
    return;
  }
  if (operand.kind === 'apiKeyId') {
    if (positionals.length > 1) throw new UsageError(`'${where}' takes one <apiKeyId>, got ${positionals.length} arguments`, topic);
    const id = positionals[0];
    if (id !== undefined) {
      if (!/^[A-Za-z0-9]{1,64}$/.test(id.value)) throw new UsageError(`<apiKeyId> (argument ${id.position}) must be 1-64 letters and digits`, topic);
      parsed.apiKeyId = id.value;
    }
    return;
  }
  if (operand.kind === 'choice') {
    const [first, second] = positionals;
    if (second !== undefined) throw new UsageError(`'${where}' takes one <${operand.name}>, got ${positionals.length} arguments`, topic);
    if (first === undefined) {
      if (parsed.global.help) return;
      throw new UsageError(`<${operand.name}> is required: one of ${operand.choices.join(', ')}`, topic);
    }
    if (!operand.choices.includes(first.value)) {
      const guess = closest(first.value, operand.choices);
      const shown = guess !== undefined ? `'${first.value}'` : `(argument ${first.position})`;
      throw new UsageError(`<${operand.name}> ${shown} must be one of ${operand.choices.join(', ')}${guess !== undefined ? `; did you mean '${guess}'?` : ''}`, topic);
    }
    parsed.operands = [first.value];
    return;
  }
  // help [command [subcommand]]
  const [cmd, sub, extra] = positionals;
  if (extra !== undefined) throw new UsageError(`unexpected argument (argument ${extra.position}): 'help' takes a command and a subcommand at most`, topic);
  if (cmd === undefined) return;
  const c = commandNamed(cmd.value, cmd.position);
  parsed.operands = [c];
  if (sub !== undefined) parsed.operands.push(subcommandNamed(c, sub.value, sub.position) as string);
}

function flagNamesFor(command: CommandName, subcommand: string | undefined): string[] {
  return [...Object.keys(GLOBAL_FLAGS), ...Object.keys(specFor(command, subcommand).flags)];
}

const topicText = (command: CommandName, subcommand: string | undefined) => (subcommand ? `${command} ${subcommand}` : command);

/** The `apikey … --help` a usage error points at. */
function helpTopic(command: CommandName | undefined, subcommand: string | undefined): string {
  return command === undefined ? '' : topicText(command, subcommand);
}

function toGlobal(raw: Record<string, string | boolean | string[]>): GlobalOptions {
  const g: GlobalOptions = {
    sandbox: raw.sandbox === true,
    debug: raw.debug === true,
    noColor: raw['no-color'] === true,
    help: raw.help === true,
    version: raw.version === true,
  };
  if (typeof raw.profile === 'string') {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw.profile)) throw new UsageError('--profile must be 1-64 letters, digits, _ . or -');
    g.profile = raw.profile;
  }
  if (typeof raw.site === 'string') {
    if (raw.site !== 'public' && raw.site !== 'gov' && raw.site !== 'fin') {
      const guess = closest(raw.site, ['public', 'gov', 'fin']);
      throw new UsageError(`--site must be one of public, gov, fin${guess !== undefined ? `; did you mean '${guess}'?` : ''}`);
    }
    g.site = raw.site;
  }
  if (typeof raw.endpoint === 'string') {
    let url: URL | undefined;
    try {
      url = new URL(raw.endpoint);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UsageError('--endpoint must be an http(s) URL, e.g. https://apigateway.apigw.ntruss.com/api/v1');
    }
    g.endpoint = raw.endpoint.replace(/\/+$/, '');
  }
  if (g.sandbox && g.endpoint) throw new UsageError('--sandbox and --endpoint cannot be used together');
  return g;
}

function validateCommandFlags(command: CommandName, flags: Record<string, string | boolean | string[]>): void {
  if (command === 'list' && typeof flags.limit === 'string') {
    const n = Number(flags.limit);
    if (!/^\d+$/.test(flags.limit) || n < 1 || n > 1000) throw new UsageError('--limit must be an integer from 1 to 1000', command);
  }
  if (command === 'sandbox' && typeof flags.port === 'string') {
    const n = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || n > 65535) throw new UsageError('--port must be an integer from 0 to 65535', command);
  }
  if (command === 'update' && flags.enable && flags.disable) throw new UsageError('--enable and --disable cannot be used together', command);
  if (command === 'rotate' && flags.primary && flags.secondary) throw new UsageError('--primary and --secondary cannot be used together', command);
}
