// Owns how failures leave the CLI: the exit code for every core error code (an exhaustive switch, so a new
// code fails typecheck here) and the human / JSON rendering on stderr.

import { isApiKeyError, printable, redact, type ApiKeyError, type ErrorCode } from '@apikey/core';
import type { Io } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import type { EndpointOrigin } from './origin.ts';

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

export type ReportOptions = {
  json: boolean;
  /** --debug: every fact of a failed exchange (status, NCP error code, trace id), also where one line would do. */
  debug?: boolean;
  /** Where the endpoint came from; looked up only when a failure needs it (network errors, a missing /api/v1). */
  endpoint?: () => EndpointOrigin | undefined;
};

const NETWORK_CODES: readonly string[] = ['ERR_APIKEY_NETWORK', 'ERR_APIKEY_TIMEOUT'];
const WRONG_PLACE_CODES: readonly string[] = ['ERR_APIKEY_NOT_FOUND', 'ERR_APIKEY_HTTP', 'ERR_APIKEY_RESPONSE_SHAPE', ...NETWORK_CODES];

/** The id in `/…/api-keys/<id>` when a failed request was about one key. */
function keyIdOf(path: unknown): string | undefined {
  return typeof path === 'string' ? /\/api-keys\/([A-Za-z0-9]+)(?:[/?]|$)/.exec(path)?.[1] : undefined;
}

/** Prints the failure on stderr (one `error:` line first, then facts and hints) and returns the exit code. */
export function reportError(io: Io, e: unknown, options: boolean | ReportOptions): number {
  const o: ReportOptions = typeof options === 'boolean' ? { json: options } : options;
  const code = exitCodeFor(e);
  const doc = errorDocument(e);
  const error = doc.error;
  const errorCode = String(error.code);
  const hints: string[] = typeof error.hint === 'string' ? [error.hint] : [];
  if (WRONG_PLACE_CODES.includes(errorCode)) hints.push(...endpointHints(errorCode, o.endpoint?.()));
  if (o.json) {
    if (hints.length > (typeof error.hint === 'string' ? 1 : 0)) error.hint = hints.join(' ');
    io.err(`${JSON.stringify(doc)}\n`);
    return code;
  }
  const lines: string[] = [];
  const issues = Array.isArray(error.issues) ? (error.issues as { path: string; message: string }[]) : [];
  const notFoundId = errorCode === 'ERR_APIKEY_NOT_FOUND' && error.ncpErrorCode !== '10008' ? keyIdOf(error.path) : undefined;
  if (notFoundId !== undefined) lines.push(`error: API key ${notFoundId} not found`);
  else if (errorCode === 'ERR_APIKEY_INPUT' && issues.length > 0) {
    // One line per problem, each naming the flag or variable once.
    for (const i of issues) lines.push(`error: ${i.message.startsWith(i.path) || i.path === '' ? i.message : `${flagForPath(i.path)}: ${i.message}`}`);
  } else lines.push(`error: ${String(error.message)}`);
  const facts: string[] = [];
  if (error.status !== undefined) facts.push(`HTTP ${String(error.status)}`);
  if (error.ncpErrorCode !== undefined) facts.push(`NCP errorCode ${String(error.ncpErrorCode)}`);
  if (error.ncpMessage !== undefined && error.ncpMessage !== error.message) facts.push(`"${String(error.ncpMessage)}"`);
  if (error.traceId !== undefined) facts.push(`trace ${String(error.traceId)}`);
  // A missing key needs no more than its one line; the exchange's facts are for --debug.
  if (facts.length && (notFoundId === undefined || o.debug === true)) lines.push(`  ${facts.join(' · ')}`);
  if (notFoundId !== undefined && o.debug === true) lines.push(`  ${String(error.message)}`);
  for (const h of hints) lines.push(`hint: ${h}`);
  if (e instanceof UsageError) lines.push(e.pointer);
  // NCP's messages reach these lines; each is shown with control characters escaped, never run.
  io.err(`${lines.map(printable).join('\n')}\n`);
  return code;
}

/** For failures that suggest the request went to the wrong place: which host, and what set it. */
function endpointHints(errorCode: string, origin: EndpointOrigin | undefined): string[] {
  if (origin === undefined) return [];
  const hints: string[] = [];
  const url = URL.canParse(origin.url) ? new URL(origin.url) : undefined;
  if (NETWORK_CODES.includes(errorCode)) hints.push(`could not reach ${url?.host ?? origin.url}; the endpoint ${origin.url} was set by ${origin.setBy}`);
  if (url !== undefined && !/\/api\/v1$/.test(url.pathname)) {
    hints.push(`the endpoint ${origin.url} (set by ${origin.setBy}) does not end in /api/v1; NCP's API Gateway API lives under /api/v1, e.g. https://apigateway.apigw.ntruss.com/api/v1`);
  }
  return hints;
}

/** Core reports schema paths; users typed flags. */
export function flagForPath(path: string): string {
  if (path === 'apiKeyName') return '--name';
  if (path === 'apiKeyDescription') return '--description';
  return path;
}
