// Environment configuration of the Slack app, validated once at start-up. A bad value stops start-up with a
// message naming the variable; nothing else in the app reads the environment.
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses '72h', '30m', '3d', '90s', '1500ms' (or a combination such as '1h30m') into milliseconds. */
export function parseDuration(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return total > 0 ? total : undefined;
}

const durationSchema = z.string().transform((raw, ctx) => {
  const ms = parseDuration(raw);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 72h, 30m or 3d, got "${raw}"` });
    return z.NEVER;
  }
  return ms;
});

const booleanSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'expected true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const slackIdList = z.string().transform((raw, ctx) => {
  const ids = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = ids.filter((id) => !/^[UWS][A-Z0-9]{2,}$/.test(id));
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `not a Slack user id (U…/W…) or user-group id (S…): ${bad.join(', ')}` });
    return z.NEVER;
  }
  if (ids.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'at least one approver user id or user-group id is required' });
    return z.NEVER;
  }
  return ids;
});

const urlSchema = z.string().trim().refine((v) => {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'expected an http(s) URL');

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().trim().regex(/^xoxb-/, 'expected a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().trim().optional(),
  SLACK_APP_TOKEN: z.string().trim().regex(/^xapp-/, 'expected an app-level token starting with xapp-').optional(),
  SLACK_API_URL: urlSchema.optional(),
  PORT: z.string().trim().regex(/^\d+$/, 'expected a port number').transform(Number)
    .refine((n) => n >= 0 && n <= 65_535, 'expected a port number 0–65535').default(3000),
  HOST: z.string().trim().min(1).optional(),
  APIKEY_APPROVER_CHANNEL: z.string().trim().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a channel id like C0123ABCD'),
  APIKEY_APPROVERS: slackIdList,
  APIKEY_ALLOW_SELF_APPROVAL: booleanSchema.default(false),
  APIKEY_REQUEST_TTL: durationSchema.default(72 * 3_600_000),
  APIKEY_REMINDER_BEFORE: durationSchema.optional(),
  APIKEY_DELIVERY: z.enum(['dm', 'reveal'], { error: 'expected dm or reveal' }).default('dm'),
  APIKEY_MAX_ATTEMPTS: z.string().trim().regex(/^\d+$/, 'expected a whole number').transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'expected 1–100').default(6),
  DATABASE_URL: z.string().trim().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  APIKEY_DATA_DIR: z.string().trim().min(1).default('./data'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type SlackAppConfig = {
  botToken: string;
  signingSecret: string | undefined;
  appToken: string | undefined;
  slackApiUrl: string | undefined;
  port: number;
  host: string | undefined;
  approverChannel: string;
  approvers: { users: string[]; groups: string[] };
  allowSelfApproval: boolean;
  requestTtlMs: number;
  reminderBeforeMs: number;
  delivery: 'dm' | 'reveal';
  maxAttempts: number;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
};

export class ConfigError extends Error {
  readonly variables: string[];
  constructor(problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.variables = problems.map((p) => p.variable);
  }
}

/** Validates the environment; throws ConfigError naming every bad or missing variable. Secrets are never echoed. */
export function loadConfig(env: Record<string, string | undefined>): SlackAppConfig {
  // Empty strings count as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? 'environment'),
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  }));
  // Cross-variable rule, checked on the raw values so it is reported together with everything else.
  if (cleaned.SLACK_APP_TOKEN === undefined && cleaned.SLACK_SIGNING_SECRET === undefined) {
    problems.push({ variable: 'SLACK_SIGNING_SECRET', message: 'is required in HTTP mode (set SLACK_APP_TOKEN for Socket Mode)' });
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const reminderBeforeMs = e.APIKEY_REMINDER_BEFORE ?? Math.min(24 * 3_600_000, Math.floor(e.APIKEY_REQUEST_TTL / 4));
  if (reminderBeforeMs >= e.APIKEY_REQUEST_TTL) {
    throw new ConfigError([{ variable: 'APIKEY_REMINDER_BEFORE', message: 'must be shorter than APIKEY_REQUEST_TTL' }]);
  }
  return {
    botToken: e.SLACK_BOT_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    appToken: e.SLACK_APP_TOKEN,
    slackApiUrl: e.SLACK_API_URL,
    port: e.PORT,
    host: e.HOST,
    approverChannel: e.APIKEY_APPROVER_CHANNEL,
    approvers: {
      users: e.APIKEY_APPROVERS.filter((id) => !id.startsWith('S')),
      groups: e.APIKEY_APPROVERS.filter((id) => id.startsWith('S')),
    },
    allowSelfApproval: e.APIKEY_ALLOW_SELF_APPROVAL,
    requestTtlMs: e.APIKEY_REQUEST_TTL,
    reminderBeforeMs,
    delivery: e.APIKEY_DELIVERY,
    maxAttempts: e.APIKEY_MAX_ATTEMPTS,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.APIKEY_DATA_DIR,
    logLevel: e.LOG_LEVEL,
  };
}
