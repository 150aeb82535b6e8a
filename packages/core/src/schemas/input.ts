// Schemas for everything a caller hands to the client. Names and descriptions are trimmed of
// surrounding whitespace first (so "  " is an empty name), then checked in code points.

import { z } from 'zod';
import { checkText, DESCRIPTION_RULE, NAME_RULE, API_KEY_NAME_MAX, type TextRule } from './text.ts';

function textSchema(rule: TextRule) {
  return z
    .string({ error: `${rule.label} must be a string` })
    .trim()
    .superRefine((s, ctx) => {
      const problem = checkText(s, rule);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}

export const apiKeyNameSchema = textSchema(NAME_RULE);
export const apiKeyDescriptionSchema = textSchema(DESCRIPTION_RULE).default('');

export const createApiKeyInputSchema = z.strictObject({
  apiKeyName: apiKeyNameSchema,
  apiKeyDescription: apiKeyDescriptionSchema,
});
export type CreateApiKeyInput = z.input<typeof createApiKeyInputSchema>;

export const updateApiKeyInputSchema = z.strictObject({
  apiKeyName: apiKeyNameSchema,
  apiKeyDescription: apiKeyDescriptionSchema,
  isEnabled: z.boolean({ error: 'isEnabled must be true or false' }),
});
export type UpdateApiKeyInput = z.input<typeof updateApiKeyInputSchema>;

// Ids end up as a URL path segment: refusing anything but id characters keeps "..", "/" or "?" from
// changing which resource is addressed (and what gets signed).
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
export function idSchema(label: string) {
  return z.string({ error: `${label} must be a string` }).regex(ID_RE, `${label} must be 1–64 letters, digits, '-' or '_'`);
}
export const apiKeyIdSchema = idSchema('apiKeyId');
export const productIdSchema = idSchema('productId');

export const keyTypeSchema = z.enum(['PRIMARY', 'SECONDARY'], { error: "keyType must be 'PRIMARY' or 'SECONDARY'" });
export type KeyType = z.infer<typeof keyTypeSchema>;

export const limitSchema = z.number({ error: 'limit must be a number' }).int('limit must be an integer').min(1, 'limit must be at least 1').max(Number.MAX_SAFE_INTEGER);
export const offsetSchema = z.number({ error: 'offset must be a number' }).int('offset must be an integer').min(0, 'offset must be 0 or more').max(Number.MAX_SAFE_INTEGER);

// The list filter follows the name rule except that it may be empty (meaning "no filter").
const nameFilterSchema = z
  .string({ error: 'apiKeyName filter must be a string' })
  .trim()
  .superRefine((s, ctx) => {
    const problem = checkText(s, { label: 'Name filter', min: 0, max: API_KEY_NAME_MAX });
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

export const listApiKeysQuerySchema = z.strictObject({
  apiKeyName: nameFilterSchema.optional(),
  limit: limitSchema.optional(),
  offset: offsetSchema.optional(),
});
export type ListApiKeysQuery = z.input<typeof listApiKeysQuerySchema>;

export const iterateApiKeysQuerySchema = z.strictObject({
  apiKeyName: nameFilterSchema.optional(),
  pageSize: z.number({ error: 'pageSize must be a number' }).int('pageSize must be an integer').min(1, 'pageSize must be at least 1').max(1000, 'pageSize must be at most 1000').optional(),
});
export type IterateApiKeysQuery = z.input<typeof iterateApiKeysQuerySchema>;

export const pageQuerySchema = z.strictObject({
  limit: limitSchema.optional(),
  offset: offsetSchema.optional(),
});
export type PageQuery = z.input<typeof pageQuerySchema>;
