// Owns saying where each setting in use came from (a flag, which variable, which section of the profile file, or
// the built-in default), for `auth status` and for errors that send the user to the setting to fix.
// Values of secrets are never part of what this module returns.

import { ACCESS_KEY_ENV, SECRET_KEY_ENV, siteEndpoint, type ResolvedCredentials, type SettingSource } from '@apikey/core';
import type { GlobalOptions } from '../args.ts';
import type { Io } from '../io.ts';
import { resolveFromEnvironment } from './client.ts';

export type Origins = {
  profile: string;
  site: string;
  endpoint: string;
  accessKey: string;
  secretKey: string;
};

const FILE = '~/.ncloud/configure';

function fileLabel(source: SettingSource, key: string, profile: string): string {
  return `${key} in [${source === 'profile' ? profile : 'DEFAULT'}] of ${FILE}`;
}

const firstSet = (env: Record<string, string | undefined>, names: readonly string[]) => names.find((n) => (env[n] ?? '').trim() !== '') ?? names[0];

/** A label per setting: `--site`, `NCLOUD_APIGW_ENDPOINT`, `ncloud_access_key_id in [ci] of ~/.ncloud/configure`, … */
export function originsOf(r: ResolvedCredentials, env: Record<string, string | undefined>): Origins {
  const setting = (source: SettingSource, flag: string, envName: string, key: string, builtIn: string) => {
    switch (source) {
      case 'flag':
        return flag;
      case 'env':
        return envName;
      case 'profile':
      case 'default':
        return fileLabel(source, key, r.profile);
      case 'built-in':
        return builtIn;
    }
  };
  const site = setting(r.source.site, '--site', 'NCLOUD_SITE', 'apikey_site', 'default');
  return {
    profile: setting(r.source.profile, '--profile', 'NCLOUD_PROFILE', '', 'default'),
    site,
    endpoint: setting(r.source.endpoint, '--endpoint', 'NCLOUD_APIGW_ENDPOINT', 'apikey_endpoint', site === 'default' ? `the default site (${r.site})` : `the ${r.site} site, set by ${site}`),
    accessKey: r.source.accessKey === 'env' ? (firstSet(env, ACCESS_KEY_ENV) as string) : fileLabel(r.source.accessKey, 'ncloud_access_key_id', r.profile),
    secretKey: r.source.secretKey === 'env' ? (firstSet(env, SECRET_KEY_ENV) as string) : fileLabel(r.source.secretKey, 'ncloud_secret_access_key', r.profile),
  };
}

export type EndpointOrigin = { url: string; setBy: string };

/**
 * The endpoint a command line talks to and what set it, for error hints; undefined for --sandbox or when the
 * settings do not resolve (that failure is reported on its own). Reads the profile file without repeating its
 * permission warning.
 */
export function endpointOrigin(g: GlobalOptions, io: Io): EndpointOrigin | undefined {
  if (g.sandbox) return undefined;
  try {
    const r = resolveFromEnvironment(g, { ...io, err: () => {} });
    return { url: r.endpoint ?? siteEndpoint(r.site), setBy: originsOf(r, io.env).endpoint };
  } catch {
    return undefined;
  }
}

/** `****************6789`: enough of an access key to tell two apart. Never used for secret keys. */
export function maskAccessKey(accessKey: string): string {
  return accessKey.length <= 8 ? '*'.repeat(accessKey.length) : `${'*'.repeat(Math.min(16, accessKey.length - 4))}${accessKey.slice(-4)}`;
}
