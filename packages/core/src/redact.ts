// The one redaction helper every log line in every app goes through. It masks values by the name they
// are attached to (JSON, key=value, `key: value` headers, Map/inspect output), Slack tokens by their
// shape, and any literal secrets the caller knows about. Masks use '*' only, so a mask can never
// reintroduce an alphanumeric secret.

export const MASK = '***';

// Names whose values are secrets or identify a credential. Matched case-insensitively.
const SENSITIVE_NAMES = [
  'primaryKey',
  'secondaryKey',
  'secretKey',
  'secret_key',
  'secretAccessKey',
  'secret_access_key',
  'ncloud_secret_access_key',
  'NCLOUD_SECRET_KEY',
  'NCLOUD_SECRET_ACCESS_KEY',
  'accessKey',
  'access_key',
  'ncloud_access_key_id',
  'NCLOUD_ACCESS_KEY',
  'NCLOUD_ACCESS_KEY_ID',
  'x-ncp-apigw-signature-v2',
  'x-ncp-apigw-signature-v1',
  'x-ncp-iam-access-key',
  'x-ncp-apigw-api-key',
  'signature',
  'x-slack-signature',
  'signingSecret',
  'signing_secret',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'botToken',
  'appToken',
  'token',
  'authorization',
  'password',
];

const SENSITIVE_KEY_SET = new Set(SENSITIVE_NAMES.map((n) => n.toLowerCase()));

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

const NAMES_ALT = SENSITIVE_NAMES.map(escapeRegExp).sort((a, b) => b.length - a.length).join('|');
// name, optional closing quote, separator (: = =>), optional opening quote, then the value up to a delimiter.
const NAMED_VALUE_RE = new RegExp(
  `(?<![A-Za-z0-9_-])((?:${NAMES_ALT})\\\\?["']?\\s*(?:=>|[:=])\\s*(?:\\\\?["'])?)([^\\s"'\\\\,;&)}\\]<>]+)`,
  'gi',
);
const SLACK_TOKEN_RE = /\b(x(?:ox[a-z]|app))-[A-Za-z0-9-]+/g;
const UNMASKED_LITERALS = new Set(['null', 'true', 'false', 'undefined']);

export function redact(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  if (extraSecrets.length > 0) {
    // Longest first, so a secret that contains another is masked whole.
    const secrets = [...new Set(extraSecrets.filter((s) => typeof s === 'string' && s !== ''))].sort((a, b) => b.length - a.length);
    for (const s of secrets) out = out.split(s).join(MASK);
  }
  out = out.replace(NAMED_VALUE_RE, (whole, prefix: string, value: string) => (UNMASKED_LITERALS.has(value) ? whole : prefix + MASK));
  out = out.replace(SLACK_TOKEN_RE, (_m, kind: string) => `${kind}-${MASK}`);
  return out;
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY_SET.has(key.toLowerCase());
}

/** Deep copy of `value` with secret-named fields masked and every string passed through `redact`. */
export function redactValue(value: unknown, extraSecrets: readonly string[] = []): unknown {
  const seen = new WeakMap<object, unknown>();

  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, extraSecrets);
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return seen.get(v);
    if (v instanceof Date) return new Date(v.getTime());
    if (Array.isArray(v)) {
      const arr: unknown[] = [];
      seen.set(v, arr);
      for (const item of v) arr.push(walk(item));
      return arr;
    }
    if (v instanceof Headers) {
      const obj: Record<string, unknown> = {};
      seen.set(v, obj);
      v.forEach((val, key) => {
        obj[key] = isSensitiveKey(key) ? MASK : redact(val, extraSecrets);
      });
      return obj;
    }
    if (v instanceof Map) {
      const map = new Map<unknown, unknown>();
      seen.set(v, map);
      for (const [k, val] of v) map.set(k, typeof k === 'string' && isSensitiveKey(k) && val !== undefined && val !== null ? MASK : walk(val));
      return map;
    }
    const obj: Record<string, unknown> = {};
    seen.set(v, obj);
    if (v instanceof Error) {
      obj['name'] = v.name;
      obj['message'] = redact(v.message, extraSecrets);
      if (v.cause !== undefined) obj['cause'] = walk(v.cause);
    }
    for (const [k, val] of Object.entries(v)) {
      obj[k] = isSensitiveKey(k) && val !== undefined && val !== null ? MASK : walk(val);
    }
    return obj;
  };

  return walk(value);
}
