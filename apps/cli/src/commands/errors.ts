// Owns how failures leave the CLI: the exit code for every core error code (an exhaustive switch, so a new
// code fails typecheck here) and the human / JSON rendering on stderr.

import { isApiKeyError, printable, redact, type ApiKeyError, type ErrorCode } from '@apikey/core';
import type { Io } from '../io.ts';
import { UsageError } from '../usage-error.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2, auth: 3, interrupted: 130 } as const;

export function exitCodeForCode(code: ErrorCode): number {
  switch (code) {
    case 'ERR_APIKEY_INPUT':
    case 'ERR_APIKEY_CREDENTIALS':
      return EXIT.usage;
    case 'ERR_APIKEY_AUTH':
      return EXIT.auth;
    case 'ERR_APIKEY_ABORTED':
      return EXIT.interrupted;
    case 'ERR_APIKEY_NOT_FOUND':
    case 'ERR_APIKEY_RATE_LIMIT':
    case 'ERR_APIKEY_SERVER':
    case 'ERR_APIKEY_HTTP':
    case 'ERR_APIKEY_NETWORK':
    case 'ERR_APIKEY_TIMEOUT':
    case 'ERR_APIKEY_RESPONSE_SHAPE':
      return EXIT.failure;
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (isApiKeyError(e)) return exitCodeForCode(e.code);
  return EXIT.failure;
}

/** JSON-safe description of an error; every string goes through redact. */
export function errorDocument(e: unknown): { error: Record<string, unknown> } {
  let doc: Record<string, unknown>;
  if (e instanceof UsageError) doc = { code: e.code, message: e.message };
  else if (isApiKeyError(e)) doc = apiKeyErrorJson(e);
  else doc = { code: 'ERR_APIKEY_UNEXPECTED', message: e instanceof Error ? e.message : String(e) };
  return { error: redactStrings(doc) };
}

function apiKeyErrorJson(e: ApiKeyError): Record<string, unknown> {
  const withJson = e as ApiKeyError & { toJSON?: () => Record<string, unknown> };
  const base = typeof withJson.toJSON === 'function' ? withJson.toJSON() : { code: e.code, message: e.message };
  delete base.name;
  return base;
}

function redactStrings(doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out;
}

export function reportError(io: Io, e: unknown, json: boolean): number {
  const code = exitCodeFor(e);
  if (json) {
    io.err(`${JSON.stringify(errorDocument(e))}\n`);
    return code;
  }
  const { error } = errorDocument(e);
  const lines = [`error: ${String(error.message)}`];
  const facts: string[] = [];
  if (error.status !== undefined) facts.push(`HTTP ${String(error.status)}`);
  if (error.ncpErrorCode !== undefined) facts.push(`NCP errorCode ${String(error.ncpErrorCode)}`);
  if (error.ncpMessage !== undefined && error.ncpMessage !== error.message) facts.push(`"${String(error.ncpMessage)}"`);
  if (error.traceId !== undefined) facts.push(`trace ${String(error.traceId)}`);
  if (facts.length) lines.push(`  ${facts.join(' · ')}`);
  if (Array.isArray(error.issues)) {
    for (const i of error.issues as { path: string; message: string }[]) lines.push(`  ${flagForPath(i.path)}: ${i.message}`);
  }
  if (typeof error.hint === 'string') lines.push(`hint: ${error.hint}`);
  if (e instanceof UsageError) lines.push("Run 'apikey --help' for usage.");
  // NCP's messages reach these lines; each is shown with control characters escaped, never run.
  io.err(`${lines.map(printable).join('\n')}\n`);
  return code;
}

/** Core reports schema paths; users typed flags. */
export function flagForPath(path: string): string {
  if (path === 'apiKeyName') return '--name';
  if (path === 'apiKeyDescription') return '--description';
  return path;
}
