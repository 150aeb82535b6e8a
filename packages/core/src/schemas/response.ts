// Schemas for NCP's response bodies. The Spec marks no field required, so everything except the id is
// optional; nulls are read as absent. A 2xx body that does not match is reported, not passed on.

import { z } from 'zod';

export function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  let hasNull = false;
  for (const k in value) {
    if ((value as Record<string, unknown>)[k] === null) {
      hasNull = true;
      break;
    }
  }
  // The usual body has no nulls: hand it to zod as is instead of copying it.
  if (!hasNull) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = v;
  return out;
}

const count = z.number().int().nonnegative();

export const apiKeySchema = z.preprocess(
  dropNulls,
  z.object({
    apiKeyId: z.string().min(1),
    tenantId: z.string().optional(),
    apiKeyName: z.string().optional(),
    apiKeyDescription: z.string().optional(),
    primaryKey: z.string().optional(),
    secondaryKey: z.string().optional(),
    modifier: z.string().optional(),
    isEnabled: z.boolean().optional(),
    // Both "2024-05-07T07:08:12Z" and "2000-01-23T04:56:07.000+00:00" occur; kept as sent.
    modTime: z.string().optional(),
    domainCode: z.string().optional(),
  }),
);
export type ApiKey = z.infer<typeof apiKeySchema>;

/** Create, update and regenerate wrap the key; GET one does not. */
export const apiKeyResponseSchema = z.object({ apiKey: apiKeySchema });

export const apiKeyListResponseSchema = z.preprocess(
  dropNulls,
  z.object({
    apiKeys: z.array(apiKeySchema),
    total: count.optional(),
    initialCount: count.optional(),
  }),
);

export type ApiKeyPage = { apiKeys: ApiKey[]; total: number; initialCount?: number };

export const apiKeyProductSchema = z.preprocess(
  dropNulls,
  z.object({
    productId: z.string().min(1),
    productName: z.string().optional(),
    productDescription: z.string().optional(),
    publisherId: z.string().optional(),
    status: z.string().optional(),
    regTime: z.string().optional(),
    modTime: z.string().optional(),
    isSelfProduct: z.boolean().optional(),
  }),
);
export type ApiKeyProduct = z.infer<typeof apiKeyProductSchema>;

export const apiKeyProductsResponseSchema = z.preprocess(
  dropNulls,
  z.object({
    apiKeyRelateProductDtos: z.array(apiKeyProductSchema).optional(),
    total: count.optional(),
  }),
);
export type ApiKeyProductPage = { products: ApiKeyProduct[]; total: number };
