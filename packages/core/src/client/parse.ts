// Turns a 2xx body into a typed value or a ResponseShapeError; never lets a malformed body through to
// fail later somewhere far from the request.

import type { z } from 'zod';
import { ResponseShapeError } from '../errors.ts';
import { parseJson } from '../schemas/error-envelope.ts';
import type { RawResponse } from './response-error.ts';
import type { PreparedRequest } from './retry.ts';

export function parseBody<S extends z.ZodType>(res: RawResponse, schema: S, req: PreparedRequest, what: string, json: unknown = parseJson(res.text)): z.output<S> {
  const base = { status: res.status, method: req.method, path: req.path, traceId: res.headers.get('x-ncp-trace-id') ?? undefined };
  if (json === undefined) {
    const kind = res.text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
    throw new ResponseShapeError(`${req.method} ${req.path} returned HTTP ${res.status} with ${kind}; expected ${what}`, base);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const summary = issues.slice(0, 3).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    throw new ResponseShapeError(`${req.method} ${req.path} returned HTTP ${res.status} with an unexpected body (${summary}); expected ${what}`, { ...base, issues, cause: parsed.error });
  }
  return parsed.data;
}
