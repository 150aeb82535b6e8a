// The approval policy: who decides which product's requests, where they are posted, how many distinct
// approvals they need and how long they wait. Read once at start-up from the JSON file named by APIKEY_POLICY
// and laid over the environment's defaults (APIKEY_APPROVERS, APIKEY_APPROVER_CHANNEL, APIKEY_REQUEST_TTL), so
// without a file the app behaves exactly as those variables say. Every problem in the file is reported at
// once, each naming its JSON path; the shipped JSON Schema (policy.schema.json) is generated from this schema.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseDuration } from './config.ts';

const approverIdSchema = z
  .string({ error: 'expected a string' })
  .regex(/^[UWS][A-Z0-9]{2,}$/, 'expected a Slack user id (U…/W…) or user-group id (S…)')
  .describe('A Slack user id (U…/W…) or user-group id (S…).');

const approverListSchema = z
  .array(approverIdSchema, { error: 'expected a list of ids' })
  .min(1, 'list at least one approver')
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: `${id} is listed twice` });
      seen.add(id);
    });
  });

const channelIdSchema = z
  .string({ error: 'expected a string' })
  .regex(/^[CG][A-Z0-9]{2,}$/, 'expected a channel id like C0123ABCD')
  .describe('The channel id (C…/G…) where requests are posted for approval.');

const durationSchema = z
  .string({ error: 'expected a string' })
  .regex(/^(\d+(ms|s|m|h|d))+$/, { error: 'expected a duration like 72h, 30m or 3d', abort: true })
  .refine((v) => parseDuration(v) !== undefined, 'must be longer than zero')
  .describe('A duration such as 72h, 30m, 3d or 1h30m.');

// Product ids become URL path segments in NCP calls; the same characters as core's productId.
const productIdKeySchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "expected a product id of 1–64 letters, digits, '-' or '_'");

const ruleShape = {
  approvers: approverListSchema
    .describe("Who decides. For a product this list replaces the defaults' list; it does not add to it.")
    .optional(),
  channel: channelIdSchema.optional(),
  quorum: z.int('expected a whole number').min(1, 'expected at least 1').max(50, 'expected at most 50')
    .describe('Distinct approvals needed; one deny denies. Default 1.').optional(),
  acceptSubscription: z.boolean({ error: 'expected true or false' })
    .describe("For a PROTECTED product of this account: approval also accepts the key's subscription as its owner.")
    .optional(),
  ttl: durationSchema.describe('Pending requests expire after this (default APIKEY_REQUEST_TTL, else 72h).').optional(),
  rotateAfter: durationSchema.describe("Keys older than this get their owner a rotation reminder.").optional(),
  revoke: z.enum(['disable', 'delete'], { error: 'expected "disable" or "delete"' })
    .describe('What revoking a key does (default disable).').optional(),
};

export const productPolicySchema = z.strictObject(ruleShape, { error: 'expected an object' });

export const defaultsPolicySchema = z.strictObject({
  ...ruleShape,
  requireProduct: z.boolean({ error: 'expected true or false' }).describe('Refuse requests that name no product.').optional(),
  offboarding: z.enum(['disable', 'flag'], { error: 'expected "disable" or "flag"' })
    .describe("When an owner's Slack account is deactivated: disable their keys, or only flag them.").optional(),
}, { error: 'expected an object' });

export const policyFileSchema = z.strictObject({
  $schema: z.string().optional(),
  defaults: defaultsPolicySchema.describe('Rules for requests without a product, and what products inherit.').optional(),
  products: z.record(productIdKeySchema, productPolicySchema, { error: 'expected an object keyed by product id' })
    .describe('Rules per NCP product id.').optional(),
}, { error: 'expected an object' }).describe('apikey Slack app approval policy (APIKEY_POLICY).');

export type PolicyFile = z.infer<typeof policyFileSchema>;

/** The JSON Schema shipped as apps/slack/policy.schema.json (a test keeps the file equal to this). */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(policyFileSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** The shipped file's exact text. */
export function policySchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

export type ApproverSet = { users: readonly string[]; groups: readonly string[] };

export type PolicyRule = {
  approvers: ApproverSet;
  channel: string;
  quorum: number;
  acceptSubscription: boolean;
  ttlMs: number;
  rotateAfterMs: number | undefined;
  revoke: 'disable' | 'delete';
};

export type Policy = {
  defaults: PolicyRule & { requireProduct: boolean; offboarding: 'disable' | 'flag' };
  products: ReadonlyMap<string, PolicyRule>;
};

/** The rule that governs a request: its product's, else the defaults. */
export function ruleFor(policy: Policy, productId: string | undefined): PolicyRule {
  return (productId !== undefined ? policy.products.get(productId) : undefined) ?? policy.defaults;
}

/** Everyone who decides anything (App Home's pending list, the retry button's first check). */
export function allApprovers(policy: Policy): ApproverSet {
  const users = new Set(policy.defaults.approvers.users);
  const groups = new Set(policy.defaults.approvers.groups);
  for (const rule of policy.products.values()) {
    for (const u of rule.approvers.users) users.add(u);
    for (const g of rule.approvers.groups) groups.add(g);
  }
  return { users: [...users], groups: [...groups] };
}

export type PolicyProblem = { variable: string; message: string };

/** Reads and validates the policy file; every problem comes back, none thrown. */
export function readPolicyFile(
  path: string | undefined,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): { file: PolicyFile | undefined; problems: PolicyProblem[] } {
  if (path === undefined) return { file: undefined, problems: [] };
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { file: undefined, problems: [{ variable: 'APIKEY_POLICY', message: `cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { file: undefined, problems: [{ variable: 'APIKEY_POLICY', message: `${path} is not valid JSON: ${(err as Error).message}` }] };
  }
  const parsed = policyFileSchema.safeParse(json);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => ({ variable: 'APIKEY_POLICY', message: `${jsonPath(issue.path)}: ${issueMessage(issue)}` }));
  // Checked on the raw JSON too, so an unreachable quorum is reported along with the file's other problems.
  problems.push(...unreachableQuorums(json));
  return { file: parsed.success && problems.length === 0 ? parsed.data : undefined, problems };
}

function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_key') return `not a product id: ${issue.issues[0]?.message ?? issue.message}`;
  return issue.message;
}

// A quorum larger than a plain list of users (no groups to grow it) could never be met: every request would
// wait until it expires. Caught here rather than discovered by a stuck request.
function unreachableQuorums(json: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
  const ids = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v as string[] : undefined);
  const int = (v: unknown) => (Number.isSafeInteger(v) ? v as number : undefined);
  const check = (where: string, approvers: readonly string[] | undefined, quorum: number | undefined) => {
    if (approvers === undefined || quorum === undefined) return;
    if (approvers.some((id) => id.startsWith('S'))) return;
    const distinct = new Set(approvers).size;
    if (quorum > distinct) {
      problems.push({ variable: 'APIKEY_POLICY', message: `${where}.quorum: ${quorum} approvals can never be met by the ${distinct} approver(s) listed` });
    }
  };
  const defaults = obj(obj(json).defaults);
  check('defaults', ids(defaults.approvers), int(defaults.quorum));
  for (const [id, raw] of Object.entries(obj(obj(json).products))) {
    const rule = obj(raw);
    check(`products.${id}`, ids(rule.approvers) ?? ids(defaults.approvers), int(rule.quorum) ?? int(defaults.quorum));
  }
  return problems;
}

/** Problems only visible with the environment in hand: the defaults need approvers and a channel from somewhere. */
export function missingDefaults(file: PolicyFile | undefined, env: { approvers: boolean; channel: boolean }): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!env.approvers && file?.defaults?.approvers === undefined) {
    problems.push({ variable: 'APIKEY_APPROVERS', message: 'is required (or set defaults.approvers in the APIKEY_POLICY file)' });
  }
  if (!env.channel && file?.defaults?.channel === undefined) {
    problems.push({ variable: 'APIKEY_APPROVER_CHANNEL', message: 'is required (or set defaults.channel in the APIKEY_POLICY file)' });
  }
  return problems;
}

export function splitApprovers(ids: readonly string[]): ApproverSet {
  return { users: ids.filter((id) => !id.startsWith('S')), groups: ids.filter((id) => id.startsWith('S')) };
}

/**
 * The policy in force: the file's defaults over the environment's, and each product over the defaults
 * (a product's `approvers` replaces the defaults' list). Call after readPolicyFile and missingDefaults
 * reported nothing.
 */
export function resolvePolicy(file: PolicyFile | undefined, env: { approvers: readonly string[] | undefined; channel: string | undefined; ttlMs: number }): Policy {
  const d = file?.defaults ?? {};
  const approvers = d.approvers ?? env.approvers;
  const channel = d.channel ?? env.channel;
  if (approvers === undefined || channel === undefined) throw new Error('resolvePolicy: defaults need approvers and a channel');
  const defaults: Policy['defaults'] = {
    approvers: splitApprovers(approvers),
    channel,
    quorum: d.quorum ?? 1,
    acceptSubscription: d.acceptSubscription ?? false,
    ttlMs: d.ttl !== undefined ? ms(d.ttl) : env.ttlMs,
    rotateAfterMs: d.rotateAfter !== undefined ? ms(d.rotateAfter) : undefined,
    revoke: d.revoke ?? 'disable',
    requireProduct: d.requireProduct ?? false,
    offboarding: d.offboarding ?? 'disable',
  };
  const products = new Map<string, PolicyRule>();
  for (const [id, p] of Object.entries(file?.products ?? {})) {
    products.set(id, {
      approvers: p.approvers !== undefined ? splitApprovers(p.approvers) : defaults.approvers,
      channel: p.channel ?? defaults.channel,
      quorum: p.quorum ?? defaults.quorum,
      acceptSubscription: p.acceptSubscription ?? defaults.acceptSubscription,
      ttlMs: p.ttl !== undefined ? ms(p.ttl) : defaults.ttlMs,
      rotateAfterMs: p.rotateAfter !== undefined ? ms(p.rotateAfter) : defaults.rotateAfterMs,
      revoke: p.revoke ?? defaults.revoke,
    });
  }
  return { defaults, products };
}

function ms(duration: string): number {
  const value = parseDuration(duration);
  if (value === undefined) throw new Error(`resolvePolicy: unchecked duration "${duration}"`);
  return value;
}
