// Turns a raw Web API request (as @slack/web-api sends it) into method, args and token.
import type { JsonObject } from './types.ts';

/** Fields @slack/web-api JSON-encodes inside form bodies. */
const JSON_FIELDS = new Set(['view', 'blocks', 'attachments', 'metadata']);

export type ParsedApiRequest =
  | { ok: true; args: JsonObject; token: string | undefined; contentType: string }
  | { ok: false; error: string; field?: string; contentType: string };

export function parseApiRequest(rawBody: string, contentTypeHeader: string | undefined, authorization: string | undefined, query: URLSearchParams): ParsedApiRequest {
  const contentType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
  let args: JsonObject = {};
  for (const [k, v] of query) args[k] = v;

  if (rawBody.length > 0) {
    if (contentType === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        return { ok: false, error: 'invalid_json', contentType };
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { ok: false, error: 'invalid_json', contentType };
      }
      args = { ...args, ...(parsed as JsonObject) };
    } else if (contentType === 'application/x-www-form-urlencoded' || contentType === '') {
      for (const [k, v] of new URLSearchParams(rawBody)) {
        if (JSON_FIELDS.has(k)) {
          try {
            args[k] = JSON.parse(v);
          } catch {
            return { ok: false, error: k === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments', field: k, contentType };
          }
        } else {
          args[k] = v;
        }
      }
    } else {
      return { ok: false, error: 'invalid_form_data', contentType };
    }
  }

  let token: string | undefined;
  const auth = authorization?.trim();
  if (auth !== undefined && auth !== '') {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    token = m ? m[1] : '';
  } else if (typeof args['token'] === 'string') {
    token = args['token'];
  }
  // The token must never reach records or logs.
  delete args['token'];
  return { ok: true, args, token, contentType };
}

/** Slack's booleans arrive as "true"/"1" strings in form bodies. */
export function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}
