// The app's only logger, shared by Bolt, its WebClient and our own code. Every line is formatted here and passed
// through core's redact (plus the configured secrets verbatim) before it reaches the sink.
import { redact } from '@apikey/core';
import type { LogLevel, Logger } from './bolt.ts';

const ORDER = { debug: 0, info: 1, warn: 2, error: 3 } as const;
type Level = keyof typeof ORDER;

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

export type AppLogger = Logger & { child(name: string): AppLogger };

export function createLogger(opts: {
  level?: Level;
  sink?: (line: string) => void;
  secrets?: readonly (string | undefined)[];
  name?: string;
}): AppLogger {
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const sink = opts.sink ?? ((line: string) => { console.error(line); });
  let level: Level = opts.level ?? 'info';
  let name = opts.name ?? 'apikey-slack';

  const write = (at: Level, parts: unknown[]): void => {
    if (ORDER[at] < ORDER[level]) return;
    const text = withoutPayloads(parts.map(describe).join(' '));
    sink(maskKeyLike(redact(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${text}`, secrets)));
  };

  const logger: AppLogger = {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel: (l: LogLevel) => { level = l as Level; },
    getLevel: () => level as LogLevel,
    setName: (n: string) => { name = n; },
    child: (n: string) => createLogger({ level, sink, secrets, name: `${name}:${n}` }),
  };
  return logger;
}
