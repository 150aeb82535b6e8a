// Environment configuration of the Slack app, validated once at start-up. Every bad or missing variable —
// Slack, store and NCP alike — is reported in one go, each on its own line that starts with the variable's
// name and reads as a sentence; nothing else in the app reads the environment.
import { isSite, resolveCredentials, type ResolvedCredentials } from '@apikey/core';
import { z } from 'zod';
import { missingDefaults, readPolicyFile, resolvePolicy, type Policy } from './policy.ts';

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
    ctx.addIssue({ code: 'custom', message: `must be a duration like 72h, 30m or 3d (got "${raw}")` });
    return z.NEVER;
  }
  return ms;
});

const booleanSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const slackIdList = z.string().transform((raw, ctx) => {
  const ids = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = ids.filter((id) => !/^[UWS][A-Z0-9]{2,}$/.test(id));
  if (bad.length > 0) {
    ctx.addIssue({ code: 'custom', message: `must list Slack user ids (U…/W…) or user-group ids (S…); these are neither: ${bad.join(', ')}` });
    return z.NEVER;
  }
  if (ids.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'is required (at least one approver user id or user-group id)' });
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
}, 'must be an http(s) URL');

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().trim().regex(/^xoxb-/, 'must be the Bot User OAuth Token, which starts with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().trim().optional(),
  SLACK_APP_TOKEN: z.string().trim().regex(/^xapp-/, 'must be an app-level token, which starts with xapp-').optional(),
  SLACK_API_URL: urlSchema.optional(),
  PORT: z.string().trim().regex(/^\d+$/, 'must be a port number 0–65535').transform(Number)
    .refine((n) => n >= 0 && n <= 65_535, 'must be a port number 0–65535').default(3000),
  HOST: z.string().trim().min(1, 'must not be empty').optional(),
  // Optional here: a policy file may give the defaults instead (missingDefaults says when neither does).
  APIKEY_APPROVER_CHANNEL: z.string().trim().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id like C0123ABCD (not a #name)').optional(),
  APIKEY_APPROVERS: slackIdList.optional(),
  APIKEY_POLICY: z.string().trim().min(1, 'must not be empty').optional(),
  APIKEY_ALLOW_SELF_APPROVAL: booleanSchema.default(false),
  APIKEY_REQUEST_TTL: durationSchema.default(72 * 3_600_000),
  APIKEY_REMINDER_BEFORE: durationSchema.optional(),
  APIKEY_DELIVERY: z.enum(['dm', 'reveal'], { error: 'must be dm or reveal' }).default('dm'),
  APIKEY_MAX_ATTEMPTS: z.string().trim().regex(/^\d+$/, 'must be a whole number 1–100').transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'must be a whole number 1–100').default(6),
  DATABASE_URL: z.string().trim().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql:// (or be unset for the embedded store)').optional(),
  APIKEY_DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./data'),
  APIKEY_SHUTDOWN_TIMEOUT: durationSchema.default(10_000),
  APIKEY_KEY_SWEEP_INTERVAL: durationSchema.default(600_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' }).default('info'),
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
  /** How long SIGTERM may take to finish in-flight work before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Between passes of the key sweep (owners still in Slack? rotation reminders due?). */
  keySweepIntervalMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Approvers, channel, quorum and TTL per product; approverChannel/approvers/requestTtlMs are its defaults. */
  policy: Policy;
};

export type ConfigProblem = { variable: string; message: string };

/**
 * Every problem on its own line, `VARIABLE message`. No `:` or `=` follows the name, so the redaction that
 * start-up output goes through (which masks whatever follows `SLACK_BOT_TOKEN:`) cannot eat the words.
 */
export class ConfigError extends Error {
  readonly variables: string[];
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const noun = problems.length === 1 ? 'problem' : `${problems.length} problems`;
    super(`Invalid configuration (${noun}):\n${problems.map((p) => `  - ${p.variable} ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
    this.variables = problems.map((p) => p.variable);
  }
}

type Cleaned = Record<string, string>;

// Empty strings count as unset, as shells and .env files often leave them.
function clean(env: Record<string, string | undefined>): Cleaned {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));
}

function slackProblems(cleaned: Cleaned): { config?: SlackAppConfig; problems: ConfigProblem[] } {
  const parsed = envSchema.safeParse(cleaned);
  const problems: ConfigProblem[] = parsed.success ? [] : parsed.error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? 'environment'),
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  }));
  // Cross-variable rules, checked on the raw values so they are reported together with everything else.
  if (cleaned.SLACK_APP_TOKEN === undefined && cleaned.SLACK_SIGNING_SECRET === undefined) {
    problems.push({ variable: 'SLACK_SIGNING_SECRET', message: 'is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)' });
  }
  const policyFile = readPolicyFile(cleaned.APIKEY_POLICY);
  problems.push(...policyFile.problems, ...missingDefaults(policyFile.file, {
    approvers: cleaned.APIKEY_APPROVERS !== undefined, channel: cleaned.APIKEY_APPROVER_CHANNEL !== undefined,
  }));
  if (!parsed.success) return { problems };
  const e = parsed.data;
  const reminderBeforeMs = e.APIKEY_REMINDER_BEFORE ?? Math.min(24 * 3_600_000, Math.floor(e.APIKEY_REQUEST_TTL / 4));
  if (reminderBeforeMs >= e.APIKEY_REQUEST_TTL) {
    problems.push({ variable: 'APIKEY_REMINDER_BEFORE', message: 'must be shorter than APIKEY_REQUEST_TTL' });
  }
  if (problems.length > 0) return { problems };
  const policy = resolvePolicy(policyFile.file, { approvers: e.APIKEY_APPROVERS, channel: e.APIKEY_APPROVER_CHANNEL, ttlMs: e.APIKEY_REQUEST_TTL });
  return {
    problems,
    config: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      slackApiUrl: e.SLACK_API_URL,
      port: e.PORT,
      host: e.HOST,
      approverChannel: policy.defaults.channel,
      approvers: { users: [...policy.defaults.approvers.users], groups: [...policy.defaults.approvers.groups] },
      allowSelfApproval: e.APIKEY_ALLOW_SELF_APPROVAL,
      requestTtlMs: policy.defaults.ttlMs,
      reminderBeforeMs,
      delivery: e.APIKEY_DELIVERY,
      maxAttempts: e.APIKEY_MAX_ATTEMPTS,
      databaseUrl: e.DATABASE_URL,
      dataDir: e.APIKEY_DATA_DIR,
      shutdownTimeoutMs: e.APIKEY_SHUTDOWN_TIMEOUT,
      keySweepIntervalMs: e.APIKEY_KEY_SWEEP_INTERVAL,
      logLevel: e.LOG_LEVEL,
      policy,
    },
  };
}

// The NCP side, each variable checked on its own so all of them are reported with the Slack ones. The app
// reads NCP credentials from the environment only (no ~/.ncloud/configure on a server).
function ncpProblems(cleaned: Cleaned): { ncp?: ResolvedCredentials; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (cleaned.NCLOUD_ACCESS_KEY === undefined && cleaned.NCLOUD_ACCESS_KEY_ID === undefined) {
    problems.push({ variable: 'NCLOUD_ACCESS_KEY', message: 'is required (the NCP access key id, or set NCLOUD_ACCESS_KEY_ID)' });
  }
  if (cleaned.NCLOUD_SECRET_KEY === undefined && cleaned.NCLOUD_SECRET_ACCESS_KEY === undefined) {
    problems.push({ variable: 'NCLOUD_SECRET_KEY', message: 'is required (the NCP secret key, or set NCLOUD_SECRET_ACCESS_KEY)' });
  }
  const site = cleaned.NCLOUD_SITE?.trim().toLowerCase();
  if (site !== undefined && !isSite(site)) {
    problems.push({ variable: 'NCLOUD_SITE', message: `must be public, gov or fin (got "${cleaned.NCLOUD_SITE}")` });
  }
  const endpoint = cleaned.NCLOUD_APIGW_ENDPOINT?.trim();
  if (endpoint !== undefined) {
    const url = URL.canParse(endpoint) ? new URL(endpoint) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push({ variable: 'NCLOUD_APIGW_ENDPOINT', message: 'must be an absolute http(s) URL' });
    } else if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      problems.push({ variable: 'NCLOUD_APIGW_ENDPOINT', message: 'must not carry a query, fragment or user info' });
    }
  }
  if (problems.length > 0) return { problems };
  try {
    // Profiles live in ~/.ncloud/configure, which a server does not read: NCLOUD_PROFILE does not apply here.
    const { NCLOUD_PROFILE: _profile, ...env } = cleaned;
    return { problems, ncp: resolveCredentials({ env }) };
  } catch (err) {
    // Not expected after the checks above; still reported as configuration, never as a crash.
    return { problems: [{ variable: 'NCLOUD_*', message: `could not be used: ${err instanceof Error ? err.message : String(err)}` }] };
  }
}

/** Validates the Slack side of the environment; throws ConfigError naming every bad or missing variable. Secrets are never echoed. */
export function loadConfig(env: Record<string, string | undefined>): SlackAppConfig {
  const { config, problems } = slackProblems(clean(env));
  if (config === undefined || problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The whole environment the service needs (Slack, store and NCP); every problem is reported at once. */
export function loadEnvironment(env: Record<string, string | undefined>): { config: SlackAppConfig; ncp: ResolvedCredentials } {
  const cleaned = clean(env);
  const slack = slackProblems(cleaned);
  const ncp = ncpProblems(cleaned);
  const problems = [...slack.problems, ...ncp.problems];
  if (slack.config === undefined || ncp.ncp === undefined || problems.length > 0) throw new ConfigError(problems);
  return { config: slack.config, ncp: ncp.ncp };
}
