// NCP's error envelope in all its observed forms: {error:{…}} or top-level {errorCode,message},
// errorCode as string or number, optional details/requestId, and bodies that are empty, not JSON, or
// JSON labelled text/plain. The status code stays authoritative; the envelope only adds detail.

import { z } from 'zod';

const errorCodeSchema = z.union([z.string(), z.number()]).transform((c) => String(c));
const errorFields = {
  errorCode: errorCodeSchema,
  message: z.string().optional(),
  details: z.string().optional(),
  requestId: z.string().optional(),
};

export const ncpErrorEnvelopeSchema = z.union([
  z.object({ error: z.object(errorFields) }).transform((e) => e.error),
  z.object(errorFields),
]);

export type NcpErrorInfo = { errorCode: string; message?: string; details?: string; requestId?: string };

/** Reads an error body by its content, not its Content-Type. Undefined when it carries no envelope. */
export function parseNcpErrorBody(text: string): NcpErrorInfo | undefined {
  const json = parseJson(text);
  if (json === undefined) return undefined;
  const parsed = ncpErrorEnvelopeSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const out: NcpErrorInfo = { errorCode: parsed.data.errorCode };
  if (parsed.data.message !== undefined) out.message = parsed.data.message;
  if (parsed.data.details !== undefined) out.details = parsed.data.details;
  if (parsed.data.requestId !== undefined) out.requestId = parsed.data.requestId;
  return out;
}

/** JSON.parse that answers undefined for empty or non-JSON text, so callers decide what that means. */
export function parseJson(text: string): unknown {
  // Look at the first non-whitespace character without copying the (possibly large) body.
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) <= 0x20 || text.charCodeAt(i) === 0xfeff)) i++;
  if (i === text.length) return undefined;
  const first = text.charCodeAt(i);
  // JSON starts with { [ " a digit, '-', or t/f/n; anything else (HTML, plain text) is not worth parsing.
  const plausible = first === 0x7b || first === 0x5b || first === 0x22 || first === 0x2d || (first >= 0x30 && first <= 0x39) || first === 0x74 || first === 0x66 || first === 0x6e;
  if (!plausible) return undefined;
  try {
    return JSON.parse(i === 0 ? text : text.slice(i)) as unknown;
  } catch {
    return undefined;
  }
}
