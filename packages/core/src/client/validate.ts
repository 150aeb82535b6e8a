// Turns zod issues on caller input into an InputError with the caller-facing field path, before anything is sent.

import type { z } from 'zod';
import { InputError, type InputIssue } from '../errors.ts';

export function validate<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: InputIssue[] = parsed.error.issues.map((i) => ({
    path: [path, ...i.path.map(String)].filter((p) => p !== '').join('.'),
    message: i.message,
  }));
  throw new InputError(issues);
}
