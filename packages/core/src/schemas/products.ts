// Schemas for products, the catalogue, APIs, stages, usage plans and key↔product relations: the queries a caller
// hands to the client, and NCP's response bodies with their differing wrappers (`{product}`, `productPage.content`,
// `{apis,total}`, `{host,stages}`, `usagePlans`, `apiKeyRelations.content`, `apiKeyPage.content`). As with keys, the
// Spec marks no field required, so everything but the id is optional and nulls read as absent.

import { z } from 'zod';
import { dropNulls } from './response.ts';
import { idSchema, limitSchema, offsetSchema } from './input.ts';
import { checkText } from './text.ts';

// ---- inputs --------------------------------------------------------------------------------------------

function filterText(label: string, max: number) {
  return z
    .string({ error: `${label} must be a string` })
    .trim()
    .superRefine((s, ctx) => {
      const problem = checkText(s, { label, min: 0, max });
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    });
}

const pageSizeSchema = z.number({ error: 'pageSize must be a number' }).int('pageSize must be an integer').min(1, 'pageSize must be at least 1').max(1000, 'pageSize must be at most 1000');
const idLike = idSchema;

export const subscriptionCodeSchema = z.enum(['PUBLIC', 'PROTECTED'], { error: "subscriptionCode must be 'PUBLIC' or 'PROTECTED'" });
export type SubscriptionCode = z.infer<typeof subscriptionCodeSchema>;

/** Relation statuses NCP documents; responses may carry others, which are passed through as strings. */
export const SUBSCRIPTION_STATUSES = ['REQUEST', 'ACCEPTED', 'REJECTED', 'DENY', 'BLOCKED_REQUEST'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const subscriptionStatusSchema = z.enum(SUBSCRIPTION_STATUSES, { error: `status must be one of ${SUBSCRIPTION_STATUSES.join(', ')}` });
/** The only values the owner's PATCH accepts. */
export const ownerDecisionSchema = z.enum(['ACCEPTED', 'REJECTED'], { error: "status must be 'ACCEPTED' or 'REJECTED'" });
export type OwnerDecision = z.infer<typeof ownerDecisionSchema>;

const productFilters = {
  productName: filterText('productName filter', 100).optional(),
  isPublished: z.boolean({ error: 'isPublished must be true or false' }).optional(),
  subscriptionCode: subscriptionCodeSchema.optional(),
  hasDeployedStage: z.boolean({ error: 'hasDeployedStage must be true or false' }).optional(),
};
export const listProductsQuerySchema = z.strictObject({ ...productFilters, limit: limitSchema.optional(), offset: offsetSchema.optional() });
export type ListProductsQuery = z.input<typeof listProductsQuerySchema>;
export const iterateProductsQuerySchema = z.strictObject({ ...productFilters, pageSize: pageSizeSchema.optional() });
export type IterateProductsQuery = z.input<typeof iterateProductsQuerySchema>;

export const productTypeSchema = z.enum(['MY', 'NCP', 'OTHERS'], { error: "productType entries must be 'MY', 'NCP' or 'OTHERS'" });
export type ProductType = z.infer<typeof productTypeSchema>;
const catalogueFilters = {
  productType: z.array(productTypeSchema).optional(),
  subscribed: z.boolean({ error: 'subscribed must be true or false' }).optional(),
  // NCP's Spec says 0–10 characters while tenant ids are 32: accept a whole tenant id.
  publisherId: filterText('publisherId', 32).optional(),
  productName: filterText('productName filter', 100).optional(),
};
export const searchPublishedProductsQuerySchema = z.strictObject({ ...catalogueFilters, limit: limitSchema.optional(), offset: offsetSchema.optional() });
export type SearchPublishedProductsQuery = z.input<typeof searchPublishedProductsQuerySchema>;
export const iteratePublishedProductsQuerySchema = z.strictObject({ ...catalogueFilters, pageSize: pageSizeSchema.optional() });
export type IteratePublishedProductsQuery = z.input<typeof iteratePublishedProductsQuerySchema>;

const apiFilters = {
  apiName: filterText('apiName filter', 20).optional(),
  hasStage: z.boolean({ error: 'hasStage must be true or false' }).optional(),
};
export const listProductApisQuerySchema = z.strictObject({ ...apiFilters, limit: limitSchema.optional(), offset: offsetSchema.optional() });
export type ListProductApisQuery = z.input<typeof listProductApisQuerySchema>;
export const iterateProductApisQuerySchema = z.strictObject({ ...apiFilters, pageSize: pageSizeSchema.optional() });
export type IterateProductApisQuery = z.input<typeof iterateProductApisQuerySchema>;

export const searchUsagePlansQuerySchema = z.strictObject({ usagePlanName: filterText('usagePlanName filter', 45).optional(), limit: limitSchema.optional(), offset: offsetSchema.optional() });
export type SearchUsagePlansQuery = z.input<typeof searchUsagePlansQuerySchema>;
export const iterateUsagePlansQuerySchema = z.strictObject({ usagePlanName: filterText('usagePlanName filter', 45).optional(), pageSize: pageSizeSchema.optional() });
export type IterateUsagePlansQuery = z.input<typeof iterateUsagePlansQuerySchema>;

export const stageUsagePlansQuerySchema = z.strictObject({ associated: z.boolean({ error: 'associated must be true or false' }).optional() });
export type StageUsagePlansQuery = z.input<typeof stageUsagePlansQuerySchema>;

const detailFilters = { productId: idLike('productId'), apiId: idLike('apiId').optional(), stageId: idLike('stageId').optional() };
export const subscriptionDetailQuerySchema = z.strictObject({ ...detailFilters, limit: limitSchema.optional(), offset: offsetSchema.optional() });
export type SubscriptionDetailQuery = z.input<typeof subscriptionDetailQuerySchema>;
export const iterateSubscriptionDetailQuerySchema = z.strictObject({ ...detailFilters, pageSize: pageSizeSchema.optional() });
export type IterateSubscriptionDetailQuery = z.input<typeof iterateSubscriptionDetailQuerySchema>;

const ownerFilters = {
  apiKeyId: idLike('apiKeyId').optional(),
  // A key value is a secret: it goes in the body (never a URL or a log line) and is only checked for shape.
  apiKeyValue: z.string({ error: 'apiKeyValue must be a string' }).regex(/^[A-Za-z0-9]{1,100}$/, 'apiKeyValue must be a key value (letters and digits)').optional(),
  statusSet: z.array(subscriptionStatusSchema).optional(),
};
export const searchProductApiKeysQuerySchema = z.strictObject({ ...ownerFilters, limit: limitSchema.optional(), offset: offsetSchema.optional() });
export type SearchProductApiKeysQuery = z.input<typeof searchProductApiKeysQuerySchema>;
export const iterateProductApiKeysQuerySchema = z.strictObject({ ...ownerFilters, pageSize: pageSizeSchema.optional() });
export type IterateProductApiKeysQuery = z.input<typeof iterateProductApiKeysQuerySchema>;

export const iteratePageQuerySchema = z.strictObject({ pageSize: pageSizeSchema.optional() });
export type IteratePageQuery = z.input<typeof iteratePageQuerySchema>;

// ---- responses -----------------------------------------------------------------------------------------

const count = z.number().int().nonnegative();
const obj = <T extends z.ZodRawShape>(shape: T) => z.preprocess(dropNulls, z.object(shape));

/** MyProductDto / ProductDto: own products, GET one, and the published-product detail. */
export const productSchema = obj({
  productId: z.string().min(1),
  invokeId: z.string().optional(),
  productName: z.string().optional(),
  productDescription: z.string().optional(),
  subscriptionCode: z.string().optional(),
  isPublished: z.boolean().optional(),
  hasDeployedStage: z.boolean().optional(),
  tenantId: z.string().optional(),
  modifier: z.string().optional(),
  modTime: z.string().optional(),
  domainCode: z.string().optional(),
  isDeleted: z.boolean().optional(),
  disabled: z.boolean().optional(),
});
export type Product = z.infer<typeof productSchema>;

export const publishedProductSchema = obj({
  productId: z.string().min(1),
  productName: z.string().optional(),
  productDescription: z.string().optional(),
  subscriptionCode: z.string().optional(),
  subscribed: z.boolean().optional(),
  tenantId: z.string().optional(),
  domainCode: z.string().optional(),
});
export type PublishedProduct = z.infer<typeof publishedProductSchema>;

const pageOf = <T extends z.ZodType>(item: T) => obj({ total: count.optional(), content: z.array(item).optional() });

export const productListResponseSchema = obj({ initialCount: count.optional(), productPage: pageOf(productSchema) });
export const publishedProductListResponseSchema = obj({ initialCount: count.optional(), productPage: pageOf(publishedProductSchema) });
export const productResponseSchema = z.object({ product: productSchema });

export const apiStageRefSchema = obj({
  stageId: z.string().min(1),
  stageName: z.string().optional(),
  apiId: z.string().optional(),
  isPublished: z.boolean().optional(),
});
export const productApiSchema = obj({
  apiId: z.string().min(1),
  apiName: z.string().optional(),
  apiDescription: z.string().optional(),
  productId: z.string().optional(),
  tenantId: z.string().optional(),
  modTime: z.string().optional(),
  domainCode: z.string().optional(),
  stages: z.array(apiStageRefSchema).optional(),
});
export type ProductApi = z.infer<typeof productApiSchema>;
export const productApiListResponseSchema = obj({ apis: z.array(productApiSchema).optional(), total: count.optional() });

export const stageSchema = obj({
  stageId: z.string().min(1),
  stageName: z.string().optional(),
  isCanary: z.boolean().optional(),
  defaultDeploymentNo: z.number().optional(),
  canaryDeploymentNo: z.number().optional(),
});
export type Stage = z.infer<typeof stageSchema>;
export const stageListResponseSchema = obj({ host: z.string().optional(), stages: z.array(stageSchema).optional() });

export const usagePlanSchema = obj({
  usagePlanId: z.string().min(1),
  usagePlanName: z.string().optional(),
  usagePlanDescription: z.string().optional(),
  rateRps: z.number().optional(),
  dayQuotaRequest: z.number().optional(),
  monthQuotaRequest: z.number().optional(),
  associatedStagesCount: z.number().optional(),
  tenantId: z.string().optional(),
  domainCode: z.string().optional(),
  disabled: z.boolean().optional(),
});
export type UsagePlan = z.infer<typeof usagePlanSchema>;
export const usagePlanListResponseSchema = obj({ initialCount: count.optional(), total: count.optional(), usagePlans: z.array(usagePlanSchema).optional() });

export const subscriptionRelationSchema = obj({
  apiId: z.string().optional(),
  apiName: z.string().optional(),
  apiKeyId: z.string().optional(),
  apiKeyName: z.string().optional(),
  stageId: z.string().min(1),
  stageName: z.string().optional(),
  usagePlanId: z.string().optional(),
  usagePlanName: z.string().optional(),
  dayCallCount: z.number().optional(),
  monthCallCount: z.number().optional(),
  domainCode: z.string().optional(),
  regTime: z.string().optional(),
  modTime: z.string().optional(),
});
export type SubscriptionRelation = z.infer<typeof subscriptionRelationSchema>;
export const subscriptionDetailResponseSchema = obj({ apiKeyRelations: pageOf(subscriptionRelationSchema) });

export const productApiKeySchema = obj({
  apiKeyId: z.string().min(1),
  apiKeyName: z.string().optional(),
  primaryKey: z.string().optional(),
  secondaryKey: z.string().optional(),
  status: z.string().optional(),
  domainCode: z.string().optional(),
  regTime: z.string().optional(),
  modTime: z.string().optional(),
});
export type ProductApiKey = z.infer<typeof productApiKeySchema>;
export const productApiKeyListResponseSchema = obj({ apiKeyPage: pageOf(productApiKeySchema) });

// ---- normalised pages the client returns ---------------------------------------------------------------

export type ProductPage = { products: Product[]; total: number; initialCount?: number };
export type PublishedProductPage = { products: PublishedProduct[]; total: number };
export type ProductApiPage = { apis: ProductApi[]; total: number };
/** `host` is NCP's invoke host for the API's stages, when NCP sends one. */
export type StageList = { host?: string; stages: Stage[] };
export type UsagePlanPage = { usagePlans: UsagePlan[]; total: number };
export type SubscriptionDetailPage = { relations: SubscriptionRelation[]; total: number };
export type ProductApiKeyPage = { apiKeys: ProductApiKey[]; total: number };
