// Resolves credentials, site and endpoint from injected sources (flags, env, configure-file text) with
// one precedence: flags → environment → selected profile section → [DEFAULT]. A profile named on purpose
// (--profile or NCLOUD_PROFILE) must exist in the file: falling back to [DEFAULT] or to whatever keys sit in
// the environment would sign with another account's keys, so a missing one is an error before anything is
// sent. An explicit --profile flag also outranks credential variables in the environment (as the AWS CLI's
// --profile does): the person asked for that profile's account. Core never reads env or files itself;
// front-ends pass them in.

import { CredentialsError, InputError } from '../errors.ts';
import { isSite, normaliseEndpoint } from '../client/site.ts';
import type { Credentials, Site } from '../client/types.ts';
import { printable } from '../text/printable.ts';
import { DEFAULT_SECTION, parseNcloudConfigure } from './configure-file.ts';

export type CredentialSource = 'env' | 'profile' | 'default';
/** Where a setting came from: a flag, the environment, the selected profile's section, [DEFAULT], or nowhere. */
export type SettingSource = 'flag' | CredentialSource | 'built-in';

export type ResolveCredentialsInput = {
  flags?: { profile?: string | undefined; site?: string | undefined; endpoint?: string | undefined };
  env: Record<string, string | undefined>;
  configureFileText?: string | undefined;
};

export type ResolvedCredentials = {
  credentials: Credentials;
  site: Site;
  endpoint?: string;
  profile: string;
  source: { accessKey: CredentialSource; secretKey: CredentialSource; profile: SettingSource; site: SettingSource; endpoint: SettingSource };
};

// The short spellings come first: they are what terraform-provider-ncloud and our docs use.
export const ACCESS_KEY_ENV = ['NCLOUD_ACCESS_KEY', 'NCLOUD_ACCESS_KEY_ID'] as const;
export const SECRET_KEY_ENV = ['NCLOUD_SECRET_KEY', 'NCLOUD_SECRET_ACCESS_KEY'] as const;

function nonEmpty(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function fromEnv(env: Record<string, string | undefined>, names: readonly string[]): string | undefined {
  for (const n of names) {
    const v = nonEmpty(env[n]);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function resolveCredentials(input: ResolveCredentialsInput): ResolvedCredentials {
  const { env } = input;
  const flags = input.flags ?? {};
  const flagProfile = nonEmpty(flags.profile);
  const explicitProfile = flagProfile ?? nonEmpty(env['NCLOUD_PROFILE']);
  const profileSource: SettingSource = flagProfile !== undefined ? 'flag' : explicitProfile !== undefined ? 'env' : 'built-in';
  const profile = explicitProfile ?? DEFAULT_SECTION;
  const file = input.configureFileText === undefined ? new Map<string, Map<string, string>>() : parseNcloudConfigure(input.configureFileText);
  if (explicitProfile !== undefined && !file.has(explicitProfile)) {
    throw profileNotFound(explicitProfile, flagProfile !== undefined ? '--profile' : 'NCLOUD_PROFILE', input.configureFileText !== undefined, [...file.keys()]);
  }
  const profileSection = profile === DEFAULT_SECTION ? undefined : file.get(profile);
  const defaultSection = file.get(DEFAULT_SECTION);

  const fromFile = (key: string): { value: string; source: CredentialSource } | undefined => {
    const p = nonEmpty(profileSection?.get(key));
    if (p !== undefined) return { value: p, source: 'profile' };
    const d = nonEmpty(defaultSection?.get(key));
    if (d !== undefined) return { value: d, source: 'default' };
    return undefined;
  };
  const pick = (envNames: readonly string[], fileKey: string): { value: string; source: CredentialSource } | undefined => {
    const e = flagProfile === undefined ? fromEnv(env, envNames) : undefined;
    return e !== undefined ? { value: e, source: 'env' } : fromFile(fileKey);
  };

  const accessKey = pick(ACCESS_KEY_ENV, 'ncloud_access_key_id');
  const secretKey = pick(SECRET_KEY_ENV, 'ncloud_secret_access_key');

  if (accessKey === undefined || secretKey === undefined) {
    const missing: string[] = [];
    if (accessKey === undefined) missing.push('accessKey');
    if (secretKey === undefined) missing.push('secretKey');
    const what = missing.map((m) => (m === 'accessKey' ? 'access key' : 'secret key')).join(' and ');
    const where =
      flagProfile !== undefined
        ? `Profile [${printable(flagProfile)}] in ~/.ncloud/configure has no ${what} (with --profile, NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY are not used). `
        : 'Set NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY in the environment, or ';
    throw new CredentialsError(
      missing,
      `No NCP ${what} found. ${where}` +
        `${flagProfile !== undefined ? 'R' : 'r'}un \`apikey configure${profile === DEFAULT_SECTION ? '' : ` --profile ${printable(profile)}`}\` to store them in ~/.ncloud/configure.`,
    );
  }

  // A setting comes from the first of flag → env → profile file; its source names it in errors and status output.
  const setting = (flag: string | undefined, envName: string, fileKey: string): { value: string; source: SettingSource; name: string } | undefined => {
    const f = nonEmpty(flag);
    if (f !== undefined) return { value: f, source: 'flag', name: `--${fileKey.replace('apikey_', '')}` };
    const e = nonEmpty(env[envName]);
    if (e !== undefined) return { value: e, source: 'env', name: envName };
    const p = fromFile(fileKey);
    if (p !== undefined) return { ...p, name: `${fileKey} in [${p.source === 'profile' ? profile : DEFAULT_SECTION}] of ~/.ncloud/configure` };
    return undefined;
  };
  const siteSetting = setting(flags.site, 'NCLOUD_SITE', 'apikey_site');
  const site = (siteSetting?.value ?? 'public').toLowerCase();
  if (!isSite(site)) {
    const name = siteSetting?.name ?? 'site';
    const message = `${name} must be one of public, gov, fin (got ${JSON.stringify(siteSetting?.value)})`;
    throw new InputError([{ path: name, message }], message);
  }
  const endpointSetting = setting(flags.endpoint, 'NCLOUD_APIGW_ENDPOINT', 'apikey_endpoint');

  const out: ResolvedCredentials = {
    credentials: { accessKey: accessKey.value, secretKey: secretKey.value },
    site,
    profile,
    source: {
      accessKey: accessKey.source,
      secretKey: secretKey.source,
      profile: profileSource,
      site: siteSetting?.source ?? 'built-in',
      endpoint: endpointSetting?.source ?? 'built-in',
    },
  };
  if (endpointSetting !== undefined) out.endpoint = normaliseEndpoint(endpointSetting.value, endpointSetting.name);
  return out;
}

/** A profile asked for by name that the file does not have: nothing may be sent with some other account's keys. */
function profileNotFound(profile: string, from: '--profile' | 'NCLOUD_PROFILE', haveFile: boolean, profiles: string[]): CredentialsError {
  const known = profiles.length === 0 ? '' : ` (profiles there: ${profiles.map(printable).join(', ')})`;
  const name = printable(profile);
  const where = haveFile ? `is not in ~/.ncloud/configure${known}` : 'cannot be used: there is no ~/.ncloud/configure';
  return new CredentialsError(
    [],
    `Profile [${name}] (from ${from}) ${where}. Nothing was sent. ` +
      `Check the spelling, or create it with \`apikey configure --profile ${name}\`.`,
  );
}
