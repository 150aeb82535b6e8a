// The app's only logger, shared by Bolt, its WebClient and our own code: structured JSON, one object a line
// ({"level","time","name","msg", requestId?, …}), written by pino. Every message and field goes through core's
// redact (plus the configured secrets verbatim) before pino serialises it, and the finished line once more,
// so neither a field nor Bolt's free text can carry a token or key out.
import { redact, redactValue } from '@apikey/core';
import pino from 'pino';
import type { LogLevel, Logger } from './bolt.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${code !== undefined ? ` [${String(code)}]` : ''}: ${value.message}`;
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

// @slack/web-api logs whole request bodies and results at DEBUG, and those carry the keys (the DM's blocks,
// the reveal modal) in prose that name-based redaction cannot recognise. Keep the line, drop the payload.
const PAYLOAD_LINE = /^(http request body|http request result): .*/s;

function withoutPayloads(text: string): string {
  return text.replace(PAYLOAD_LINE, (_m, label: string) => `${label}: [${text.length} chars omitted]`);
}

// Last line of defence: NCP key values are 40 alphanumerics; mask any such standalone run.
function maskKeyLike(text: string): string {
  return text.replace(/(?<![A-Za-z0-9])[A-Za-z0-9]{40}(?![A-Za-z0-9])/g, '[key-like value redacted]');
}

// Request ids have one fixed shape ('req_' + 20 base32 characters), so a line about a request can carry the
// id as a field without every call site passing it.
const REQUEST_ID = /(?<![A-Za-z0-9_])req_[a-z2-7]{20}(?![A-Za-z0-9])/;

export type LogFields = Record<string, unknown>;

export type AppLogger = Logger & {
  child(name: string): AppLogger;
  /** A logger that adds these fields to every line (redacted like everything else). */
  with(fields: LogFields): AppLogger;
};

export type CreateLoggerOptions = {
  level?: Level;
  /** Receives each finished JSON line (no trailing newline). Default: stderr, written synchronously. */
  sink?: (line: string) => void;
  secrets?: readonly (string | undefined)[];
  name?: string;
  fields?: LogFields;
};

export function createLogger(opts: CreateLoggerOptions): AppLogger {
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const sink = opts.sink ?? defaultSink();
  const stream = { write: (chunk: string) => sink(maskKeyLike(redact(chunk.replace(/\n$/, ''), secrets))) };
  const root = pino(
    {
      level: opts.level ?? 'info',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return wrap(root, { name: opts.name ?? 'apikey-slack', fields: opts.fields ?? {}, secrets, sink });
}

function defaultSink(): (line: string) => void {
  // Synchronous, so the last lines before process.exit (a failed start, a shutdown) are not lost.
  const out = pino.destination({ dest: 2, sync: true });
  return (line) => { out.write(`${line}\n`); };
}

type State = { name: string; fields: LogFields; secrets: string[]; sink: (line: string) => void };

function wrap(base: pino.Logger, state: State): AppLogger {
  let name = state.name;
  const write = (at: Level, parts: unknown[]): void => {
    if (!base.isLevelEnabled(at)) return;
    const msg = withoutPayloads(redact(parts.map(describe).join(' '), state.secrets));
    const fields = redactValue(state.fields, state.secrets) as LogFields;
    const requestId = fields['requestId'] ?? REQUEST_ID.exec(msg)?.[0];
    base[at]({ name, ...fields, ...(requestId !== undefined ? { requestId } : {}) }, msg);
  };
  return {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel: (l: LogLevel) => {
      if ((LEVELS as readonly string[]).includes(l)) base.level = l;
    },
    getLevel: () => base.level as LogLevel,
    setName: (n: string) => { name = n; },
    child: (n: string) => wrap(base.child({}), { ...state, name: `${name}:${n}` }),
    with: (fields: LogFields) => wrap(base.child({}), { ...state, name, fields: { ...state.fields, ...fields } }),
  };
}
