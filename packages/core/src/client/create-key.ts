// Exact create idempotency. NCP has no idempotency key and key names are not unique, so a create is made
// recognisable by a marker only its operation can produce: the key is POSTed with apiKeyDescription set to
// `apikey:<operationId>`, then one PUT sets the real description. After an ambiguous failure the client lists
// keys by name and adopts only a key whose description is exactly that marker; with none, posting again is
// safe. A retry of the same operation (`resume`) finds and finishes a key an interrupted run left behind.
// Every crash point and what finishes it: docs/idempotency.md.

import { z } from 'zod';
import { AbortedError, ApiKeyError, InputError, RateLimitError, ResponseShapeError } from '../errors.ts';
import { apiKeyIdSchema, createApiKeyInputSchema, type CreateApiKeyInput } from '../schemas/input.ts';
import { apiKeyResponseSchema, type ApiKey } from '../schemas/response.ts';
import { parseBody } from './parse.ts';
import { errorFromResponse } from './response-error.ts';
import { attemptOnce, backOffOrThrow, isTransient, remainingBudget, type PreparedRequest, type RequestContext } from './retry.ts';
import type { CallOptions } from './types.ts';

export const CREATE_MARKER_PREFIX = 'apikey:';

/** 1–43 of [A-Za-z0-9_-]: the marker `apikey:` + id then fits NCP's 50-character description. */
export const operationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,43}$/, 'operationId must be 1–43 characters of A–Z, a–z, 0–9, _ or -');

const MARKER_PATTERN = /^apikey:[A-Za-z0-9_-]{1,43}$/;

export const RESERVED_DESCRIPTION = `a description of the form '${CREATE_MARKER_PREFIX}<id>' is reserved for keys being created`;

/** True for text that has the shape of a create marker; such text is refused as a real description. */
export function isCreateMarker(text: string): boolean {
  return MARKER_PATTERN.test(text);
}

export type CreateOptions = CallOptions & {
  /**
   * Identifies this create across retries and crashes (the Slack app: its request id; the CLI: a random id).
   * Default: a random id, which makes the call exact within itself but not resumable after a crash.
   */
  operationId?: string | undefined;
  /**
   * This operation may have run before. `true`: look for a key carrying its marker before posting (one list
   * call). `{ apiKeyId }`: the id `onCommitted` recorded; finish that key if it still carries the marker.
   */
  resume?: true | { apiKeyId: string } | undefined;
  /**
   * Awaited once the key exists and before the PUT that removes its marker, so the caller can record the
   * key id durably first. If it throws, the create stops there and the key keeps its marker (resumable).
   */
  onCommitted?: ((key: ApiKey) => void | Promise<void>) | undefined;
};

export type CreateKeyDeps = {
  ctx: RequestContext;
  /** Context whose transport sends each request on a connection of its own (create POSTs). */
  postCtx: RequestContext;
  prepare(method: string, relPath: string, query?: string, body?: unknown): PreparedRequest;
  validate<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S>;
  /** Every key whose name contains `name` (NCP filters by substring), all pages. */
  listByName(name: string, signal: AbortSignal | undefined): AsyncIterable<ApiKey>;
  getOne(apiKeyId: string, signal: AbortSignal | undefined): Promise<ApiKey>;
  put(apiKeyId: string, body: { apiKeyName: string; apiKeyDescription: string; isEnabled: boolean }, signal: AbortSignal | undefined): Promise<ApiKey>;
  newOperationId(): string;
};

export function createKeyCreator(d: CreateKeyDeps): (input: CreateApiKeyInput, o?: CreateOptions) => Promise<ApiKey> {
  const { ctx } = d;
  const postPath = d.prepare('POST', '/api-keys').path;
  const report = (attempt: number, reason: string): void => ctx.emit?.({ type: 'reconcile', method: 'POST', url: postPath, attempt, reason });

  /** Keys that carry our marker: exact name and exact description, nothing else counts. */
  async function findMarked(name: string, marker: string, signal: AbortSignal | undefined): Promise<ApiKey | undefined> {
    const found: ApiKey[] = [];
    for await (const k of d.listByName(name, signal)) if (k.apiKeyName === name && k.apiKeyDescription === marker) found.push(k);
    // Only this operation writes its marker, so several are all ours (a POST that committed after it was
    // given up on); any one of them finishes the operation, and the first listed is as good as another.
    return found[0];
  }

  /** After an ambiguous failure: the key that failure made, or undefined when it made none. */
  async function adoptAfter(name: string, marker: string, attempt: number, cause: ApiKeyError, signal: AbortSignal | undefined): Promise<ApiKey | undefined> {
    let key: ApiKey | undefined;
    try {
      key = await findMarked(name, marker, signal);
    } catch (e) {
      // Without a listing we cannot tell whether the key exists, and posting again could make a second one:
      // report the original failure; a retry with the same operation id and `resume` settles it.
      if (e instanceof AbortedError) throw e;
      report(attempt, 'listing failed');
      throw cause;
    }
    report(attempt, key === undefined ? 'not created' : 'adopted');
    return key;
  }

  async function post(name: string, marker: string, signal: AbortSignal | undefined): Promise<ApiKey> {
    const req = d.prepare('POST', '/api-keys', '', { apiKeyName: name, apiKeyDescription: marker });
    const startedAt = ctx.now();
    for (let attempt = 1; ; attempt++) {
      let error: ApiKeyError;
      try {
        const res = await attemptOnce(d.postCtx, req, attempt, signal, remainingBudget(ctx, startedAt));
        if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, req.method, req.path, ctx.now());
        return parseBody(res, apiKeyResponseSchema, req, '{ apiKey: {...} } (201 Created)').apiKey;
      } catch (e) {
        if (!(e instanceof ApiKeyError) || e instanceof AbortedError) throw e;
        error = e;
      }
      // An unreadable 2xx probably created the key: look for it like after any other ambiguous failure.
      // A 429 is refused before any work is done, so posting again needs no look; any other non-transient
      // answer is a definite "no": nothing was created.
      const ambiguous = error instanceof ResponseShapeError || (isTransient(error) && !(error instanceof RateLimitError));
      if (!ambiguous && !(error instanceof RateLimitError)) throw error;
      if (ambiguous) {
        const adopted = await adoptAfter(name, marker, attempt, error, signal);
        if (adopted !== undefined) return adopted;
      }
      await backOffOrThrow(ctx, req, attempt, error, startedAt, signal);
    }
  }

  /** The one PUT that replaces the marker with the real description, keeping name and enabled state. */
  async function finish(key: ApiKey, description: string, signal: AbortSignal | undefined): Promise<ApiKey> {
    // A list item may lack fields the read-modify-write needs; then read the key itself.
    const current = key.apiKeyName !== undefined && key.isEnabled !== undefined ? key : await d.getOne(key.apiKeyId, signal);
    if (current.apiKeyName === undefined) {
      throw new ResponseShapeError(`GET ${postPath}/${key.apiKeyId} returned a key without apiKeyName; cannot set its description safely`, { method: 'GET', path: `${postPath}/${key.apiKeyId}` });
    }
    const done = await d.put(key.apiKeyId, { apiKeyName: current.apiKeyName, apiKeyDescription: description, isEnabled: current.isEnabled ?? true }, signal);
    // The caller of create needs both key values; fall back to GET one if the PUT answer lacks them.
    if (done.primaryKey !== undefined && done.secondaryKey !== undefined) return done;
    if (current.primaryKey !== undefined && current.secondaryKey !== undefined) return { ...done, primaryKey: current.primaryKey, secondaryKey: current.secondaryKey };
    return d.getOne(key.apiKeyId, signal);
  }

  return async (input, o = {}) => {
    const body = d.validate(createApiKeyInputSchema, input, '');
    if (isCreateMarker(body.apiKeyDescription)) {
      throw new InputError([{ path: 'apiKeyDescription', message: RESERVED_DESCRIPTION }]);
    }
    const operationId = o.operationId === undefined ? d.newOperationId() : d.validate(operationIdSchema, o.operationId, 'operationId');
    const marker = CREATE_MARKER_PREFIX + operationId;
    const signal = o.signal;

    let key: ApiKey | undefined;
    if (o.resume !== undefined && o.resume !== true) {
      const known = await d.getOne(d.validate(apiKeyIdSchema, o.resume.apiKeyId, 'resume.apiKeyId'), signal);
      // Without our marker the PUT already landed: the operation is complete and this is its key.
      if (known.apiKeyDescription !== marker) return known;
      report(0, 'resumed');
      key = known;
    } else if (o.resume === true) {
      key = await findMarked(body.apiKeyName, marker, signal);
      report(0, key === undefined ? 'resume: not created' : 'resumed');
    }
    key ??= await post(body.apiKeyName, marker, signal);
    await o.onCommitted?.(key);
    return finish(key, body.apiKeyDescription, signal);
  };
}
