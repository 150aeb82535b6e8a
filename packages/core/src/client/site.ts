// Base URLs of the API Gateway management API per NCP site (documented at
// https://api.ncloud-docs.com/docs/ai-application-service-apigateway). The host has no `fin-`
// prefix on the financial site, unlike NCP's general gateway.

import { InputError } from '../errors.ts';
import { SITES, type Site } from './types.ts';

const ENDPOINTS: Record<Site, string> = {
  public: 'https://apigateway.apigw.ntruss.com/api/v1',
  gov: 'https://apigateway.apigw.gov-ntruss.com/api/v1',
  fin: 'https://apigateway.apigw.fin-ntruss.com/api/v1',
};

export function isSite(value: string): value is Site {
  return (SITES as readonly string[]).includes(value);
}

export function siteEndpoint(site: Site): string {
  const endpoint = ENDPOINTS[site];
  if (endpoint === undefined) {
    throw new InputError([{ path: 'site', message: `site must be one of ${SITES.join(', ')} (got ${JSON.stringify(site)})` }]);
  }
  return endpoint;
}

/**
 * Normalises an endpoint override to `origin + path` without a trailing slash, so joining
 * `/api-keys` never yields `//` or a trailing `/` (both change the signed path).
 */
export function normaliseEndpoint(endpoint: string, path = 'endpoint'): string {
  let url: URL;
  if (!URL.canParse(endpoint)) {
    throw new InputError([{ path, message: `${path} must be an absolute http(s) URL (got ${JSON.stringify(endpoint)})` }]);
  }
  url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError([{ path, message: `${path} must use http or https (got ${url.protocol})` }]);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InputError([{ path, message: `${path} must not carry a query, fragment or user info` }]);
  }
  const pathname = url.pathname.replace(/\/+$/, '');
  return url.origin + pathname;
}
