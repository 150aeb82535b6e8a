// Public surface of credential handling.
export { parseNcloudConfigure, DEFAULT_SECTION } from './configure-file.ts';
export { resolveCredentials, ACCESS_KEY_ENV, SECRET_KEY_ENV, type ResolveCredentialsInput, type ResolvedCredentials, type CredentialSource, type SettingSource } from './resolve.ts';
