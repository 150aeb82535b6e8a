// createNcpEmulator: the Web-standard request handler tying together auth, faults, routing, state and inspection.

import { verifySignatureV2 } from './auth.ts';
import { createDataPlane, isGatewayPath } from './data-plane.ts';
import { createTokenBucket, decideCommitThenFail, decidePre, matchesFilter, validateFaults, type TokenBucket } from './faults.ts';
import { deriveStream, hex, uuid } from './prng.ts';
import {
  ConnectionDroppedError,
  ERRORS,
  HttpError,
  errorResponse,
  isConnectionDropped,
  type ErrorSpec,
} from './responses.ts';
import { API_PREFIX, createRouter } from './routes.ts';
import { sleep } from './sleep.ts';
import { createStore } from './store.ts';
import { createUsageCounters } from './usage.ts';
import type {
  CommitThenFailMode,
  Credential,
  FaultConfig,
  FaultStatus,
  HandlerContext,
  NcpEmulator,
  NcpEmulatorOptions,
  SeenRequest,
} from './types.ts';

export const DEFAULT_CREDENTIALS: readonly Credential[] = [
  { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' },
];
export const DEFAULT_CLOCK_SKEW_MS = 300_000;
export const DEFAULT_LIMIT = 10;
export const DEFAULT_DOMAIN_CODE = 'PUB';
export const DEFAULT_HANG_MS = 60_000;
export const DEFAULT_MAX_BODY_BYTES = 65_536;

const INJECTED = '(emulator: injected fault)';

function injectedStatus(status: FaultStatus | Exclude<CommitThenFailMode, 'timeout' | 'drop'>, retryAfterSeconds: number): Response {
  const specs: Record<string, ErrorSpec> = {
    '429': ERRORS.throttled,
    '500': ERRORS.unexpected,
    '503': ERRORS.endpointError,
    '504': ERRORS.endpointTimeout,
  };
  if (String(status) === '502') {
    // Emulator-defined: a proxy-style non-JSON body, so clients exercise their "body is not JSON" path.
    return new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
      status: 502,
      headers: { 'content-type': 'text/html' },
    });
  }
  const spec = specs[String(status)] ?? ERRORS.unexpected;
  const headers: Record<string, string> = status === 429 ? { 'retry-after': String(retryAfterSeconds) } : {};
  return errorResponse(spec, INJECTED, headers);
}

function checkCredentials(credentials: readonly Credential[]): void {
  if (credentials.length === 0) throw new TypeError('credentials must contain at least one { accessKey, secretKey } pair');
  const seen = new Set<string>();
  credentials.forEach((c, i) => {
    if (typeof c.accessKey !== 'string' || c.accessKey === '' || typeof c.secretKey !== 'string' || c.secretKey === '') {
      throw new TypeError(`credentials[${i}] needs a non-empty accessKey and secretKey`);
    }
    if (seen.has(c.accessKey)) throw new TypeError(`credentials[${i}] repeats an access key already listed`);
    seen.add(c.accessKey);
  });
}

function nonNegativeInteger(name: string, v: number | undefined, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${String(v)}`);
  return v;
}

function checkOrder(order: unknown): 'oldest-first' | 'newest-first' {
  if (order === undefined) return 'oldest-first';
  if (order !== 'oldest-first' && order !== 'newest-first') {
    throw new RangeError(`behaviour.order must be 'oldest-first' or 'newest-first', got ${String(order)}`);
  }
  return order;
}

export function createNcpEmulator(opts: NcpEmulatorOptions = {}): NcpEmulator {
  const credentials = [...(opts.credentials ?? DEFAULT_CREDENTIALS)];
  checkCredentials(credentials);
  const now = opts.now ?? Date.now;
  const clockSkewMs = nonNegativeInteger('clockSkewMs', opts.clockSkewMs, DEFAULT_CLOCK_SKEW_MS);
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
  const b = opts.behaviour ?? {};
  const behaviour = {
    acceptV1Header: b.acceptV1Header ?? false,
    allowEmptyName: b.allowEmptyName ?? false,
    uniqueNames: b.uniqueNames ?? false,
    maxKeys: b.maxKeys === undefined ? Infinity : nonNegativeInteger('behaviour.maxKeys', b.maxKeys, 0),
    includeKeysInList: b.includeKeysInList ?? false,
    domainCode: b.domainCode ?? DEFAULT_DOMAIN_CODE,
    initialCount: nonNegativeInteger('behaviour.initialCount', b.initialCount, 0),
    defaultLimit: nonNegativeInteger('behaviour.defaultLimit', b.defaultLimit, DEFAULT_LIMIT, 1),
    requireJsonContentType: b.requireJsonContentType ?? true,
    allowDeleteSubscribed: b.allowDeleteSubscribed ?? true,
    order: checkOrder(b.order),
    maxBodyBytes: nonNegativeInteger('behaviour.maxBodyBytes', b.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 1),
  };
  const log = opts.log;

  const idRandom = deriveStream(seed, 0x1d5);
  const faultRandom = deriveStream(seed, 0xfa17);
  const traceRandom = deriveStream(seed, 0x7ace);
  const tenantId = hex(idRandom, 32);
  const modifiers = credentials.map(() => uuid(idRandom));

  let faults: FaultConfig | undefined;
  let bucket: TokenBucket | undefined;
  function setFaults(f: FaultConfig | undefined): void {
    if (f !== undefined) validateFaults(f);
    faults = f;
    // A new configuration starts a fresh, full bucket.
    bucket = f?.rateLimit !== undefined ? createTokenBucket(f.rateLimit, now()) : undefined;
  }
  setFaults(opts.faults);

  const store = createStore({ random: idRandom, now, tenantId, behaviour });
  const usage = createUsageCounters();
  const route = createRouter(store, behaviour, usage, now);
  const callStage = createDataPlane(store, usage, now);
  for (const p of opts.products ?? []) store.catalogue.addProduct(p);
  const seen: SeenRequest[] = [];

  async function respond(req: Request, url: URL, rawTarget: string, applied: string[]): Promise<Response> {
    const method = req.method;
    // The data plane authorises by API key, not by signature v2, and takes no management faults.
    if (isGatewayPath(url.pathname)) return callStage(req, url);
    const auth = verifySignatureV2(method, rawTarget, req.headers, {
      credentials,
      now: now(),
      clockSkewMs,
      acceptV1Header: behaviour.acceptV1Header,
    });
    if (!auth.ok) return errorResponse(ERRORS.auth, auth.details);

    const underPrefix = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = underPrefix ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const active = faults !== undefined && matchesFilter(faults, method, path) ? faults : undefined;

    if (active !== undefined && bucket !== undefined) {
      const retryAfter = bucket.take(now());
      if (retryAfter !== undefined) {
        applied.push('rateLimit');
        return injectedStatus(429, retryAfter);
      }
    }
    if (active !== undefined) {
      const pre = decidePre(active, faultRandom);
      if (pre.delayMs > 0) {
        applied.push('latency');
        await sleep(pre.delayMs, req.signal);
      }
      if (pre.kind === 'drop') {
        applied.push('drop');
        throw new ConnectionDroppedError('injected drop');
      }
      if (pre.kind === 'status') {
        applied.push(`status:${pre.status}`);
        return injectedStatus(pre.status, active.retryAfterSeconds ?? 1);
      }
    }

    if (!underPrefix) throw new HttpError(ERRORS.routeNotFound, `no route for ${method} ${url.pathname}`);
    const modifier = modifiers[auth.credentialIndex] ?? '';
    const res = await route({ method, path, query: url.searchParams, request: req, modifier });

    const mutation = method !== 'GET' && method !== 'HEAD';
    const mode = active !== undefined && mutation && res.ok ? decideCommitThenFail(active, faultRandom) : undefined;
    if (mode === undefined) return res;
    applied.push(`commitThenFail:${mode}`);
    if (mode === 'drop') throw new ConnectionDroppedError('commit-then-fail drop');
    if (mode === 'timeout') {
      // The change is committed; the client only ever sees silence until it gives up.
      await sleep(active?.commitThenFail?.hangMs ?? DEFAULT_HANG_MS, req.signal);
      throw new ConnectionDroppedError('commit-then-fail timeout');
    }
    return injectedStatus(mode, active?.retryAfterSeconds ?? 1);
  }

  async function handler(req: Request, ctx?: HandlerContext): Promise<Response> {
    const started = performance.now();
    const url = new URL(req.url);
    const rawTarget = ctx?.rawTarget ?? url.pathname + url.search;
    const entry: SeenRequest = {
      method: req.method,
      target: rawTarget,
      status: null,
      timestamp: req.headers.get('x-ncp-apigw-timestamp'),
      fault: null,
      at: now(),
    };
    seen.push(entry);
    const applied: string[] = [];
    const traceId = hex(traceRandom, 32);
    const line = (outcome: string): void => {
      entry.fault = applied.length > 0 ? applied.join('+') : null;
      const fault = entry.fault === null ? '' : ` fault=${entry.fault}`;
      log?.(`${req.method} ${url.pathname} ${outcome} ${Math.round(performance.now() - started)}ms${fault}`);
    };

    let res: Response;
    try {
      res = await respond(req, url, rawTarget, applied);
    } catch (e) {
      if (isConnectionDropped(e)) {
        line('dropped');
        throw e;
      }
      if (e instanceof HttpError) {
        res = errorResponse(e.spec, e.details, e.headers);
      } else {
        const message = e instanceof Error ? e.message : String(e);
        res = errorResponse(ERRORS.unexpected, `(emulator: internal error: ${message})`);
      }
    }
    res.headers.set('x-ncp-trace-id', traceId);
    // Like any HTTP server, NCP dates its answers; from the emulator's clock, so a skewed clock shows as skew.
    res.headers.set('date', new Date(now()).toUTCString());
    entry.status = res.status;
    line(String(res.status));
    return res;
  }

  return {
    handler,
    setFaults,
    inspect: {
      requests: () => seen.map((r) => ({ ...r })),
      keys: () => store.keys().map((k) => ({ ...k })),
      subscriptions: () => store.subscriptions().map((s) => ({ ...s, stagePlans: { ...s.stagePlans } })),
      reset: () => {
        store.reset();
        usage.reset();
        seen.length = 0;
      },
    },
    addProduct: (p) => ({ ...store.catalogue.addProduct(p) }),
    products: () => store.products().map((p) => ({ ...p })),
    apis: (productId) => store.catalogue.apisOf(productId).map((a) => ({ ...a, stages: a.stages.map((s) => ({ ...s, usagePlanIds: [...s.usagePlanIds] })) })),
    tenantId,
  };
}
