// The app's Prometheus metrics (prom-client): one registry per app instance, fed by hooks rather than by
// reaching into other modules — core's client `onEvent` for NCP calls, a fetch wrapper for the Slack Web API,
// a store wrapper for state transitions and outbox failures, and the HTTP server for requests. Gauges that
// describe the store (requests by state, outbox depth and age) are read from the store when scraped.
import type { ClientEvent } from '@apikey/core';
import client from 'prom-client';
import type { RequestStore } from './store/request-store.ts';

const REQUEST_STATES = ['pending', 'approved', 'created', 'delivered', 'denied', 'expired', 'failed'] as const;
// Slack and NCP calls are network round trips; HTTP acks must stay far below Slack's 3 s.
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3];

export type Metrics = {
  readonly contentType: string;
  /** The exposition text; reads the store gauges first. */
  render(): Promise<string>;
  /** Pass as core's client `onEvent`. */
  ncpEvent(e: ClientEvent): void;
  /** Wraps the fetch the Slack Web API client uses, counting and timing each method call. */
  slackFetch(inner?: typeof fetch): typeof fetch;
  /** A RequestStore that counts transitions, decisions and outbox failures, and times each operation. */
  instrumentStore(store: RequestStore, hooks?: { onClaim?: () => void }): RequestStore;
  httpRequest(route: string, status: number, seconds: number): void;
  error(source: 'listener' | 'outbox' | 'worker' | 'sweeper'): void;
};

/** '/api/v1/api-keys/abc123def0/products?x' → '/api-keys/:id/products': bounded label values. */
export function ncpRoute(url: string): string {
  const path = url.split('?')[0] ?? '';
  const rel = path.replace(/^.*?\/api-keys/, '/api-keys');
  return rel.replace(/^\/api-keys\/[^/]+/, '/api-keys/:id');
}

export function createMetrics(o: { store: RequestStore; now: () => number; prefix?: string }): Metrics {
  const registry = new client.Registry();
  const p = o.prefix ?? 'apikey_';
  const registers = [registry];

  const requests = new client.Gauge({ name: `${p}requests`, help: 'Key requests in the store, by state', labelNames: ['state'], registers });
  const outboxDepth = new client.Gauge({ name: `${p}outbox_depth`, help: 'Outbox items not done yet (due now or scheduled for a retry)', registers });
  const outboxAge = new client.Gauge({ name: `${p}outbox_oldest_due_age_seconds`, help: 'How long the longest-waiting due outbox item has been due (0 when none)', registers });
  const storeUp = new client.Gauge({ name: `${p}store_up`, help: '1 when the last scrape could read the store', registers });
  const transitions = new client.Counter({ name: `${p}transitions_total`, help: 'Request state changes made by this replica, by new state', labelNames: ['to'], registers });
  const decisions = new client.Counter({ name: `${p}decisions_total`, help: 'Approver decisions applied by this replica', labelNames: ['decision'], registers });
  const outboxFailures = new client.Counter({ name: `${p}outbox_failures_total`, help: 'Outbox item attempts that failed and were rescheduled or given up', registers });
  const errors = new client.Counter({ name: `${p}errors_total`, help: 'Errors by where they happened', labelNames: ['source'], registers });
  const storeOps = new client.Histogram({ name: `${p}store_operation_duration_seconds`, help: 'Store operations, by operation and outcome', labelNames: ['op', 'outcome'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5], registers });
  const ncpCalls = new client.Counter({ name: `${p}ncp_requests_total`, help: 'HTTP requests to the NCP API Gateway, by method, route and status', labelNames: ['method', 'route', 'status'], registers });
  const ncpLatency = new client.Histogram({ name: `${p}ncp_request_duration_seconds`, help: 'NCP request latency (one attempt)', labelNames: ['method', 'route'], buckets: CALL_BUCKETS, registers });
  const ncpRetries = new client.Counter({ name: `${p}ncp_retries_total`, help: 'NCP attempts retried by the client, by reason', labelNames: ['reason'], registers });
  const slackCalls = new client.Counter({ name: `${p}slack_api_calls_total`, help: 'Slack Web API calls, by method and outcome (ok, Slack error code, http_NNN or network_error)', labelNames: ['method', 'outcome'], registers });
  const slackLatency = new client.Histogram({ name: `${p}slack_api_call_duration_seconds`, help: 'Slack Web API call latency', labelNames: ['method'], buckets: CALL_BUCKETS, registers });
  const http = new client.Counter({ name: `${p}http_requests_total`, help: 'HTTP requests served, by route and status', labelNames: ['route', 'status'], registers });
  const httpLatency = new client.Histogram({ name: `${p}http_request_duration_seconds`, help: 'Time to answer an HTTP request (for /slack/events: the ack Slack waits for)', labelNames: ['route'], buckets: ACK_BUCKETS, registers });

  const timed = async <T>(op: string, fn: () => Promise<T>): Promise<T> => {
    const end = storeOps.startTimer({ op });
    try {
      const result = await fn();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  };

  return {
    contentType: registry.contentType,
    async render() {
      try {
        const now = o.now();
        const [byState, outbox] = await Promise.all([o.store.countByState(), o.store.outboxStats(now)]);
        for (const state of REQUEST_STATES) requests.set({ state }, byState[state] ?? 0);
        outboxDepth.set(outbox.depth);
        outboxAge.set(outbox.oldestDueAt === undefined ? 0 : Math.max(0, (now - outbox.oldestDueAt) / 1000));
        storeUp.set(1);
      } catch {
        storeUp.set(0);
      }
      return registry.metrics();
    },
    ncpEvent(e) {
      const route = ncpRoute(e.url);
      if (e.type === 'response') {
        ncpCalls.inc({ method: e.method, route, status: String(e.status ?? 'none') });
        if (e.durationMs !== undefined) ncpLatency.observe({ method: e.method, route }, e.durationMs / 1000);
      } else if (e.type === 'retry') {
        ncpRetries.inc({ reason: e.reason ?? 'unknown' });
      }
    },
    slackFetch(inner) {
      const base = inner ?? globalThis.fetch;
      return (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const method = /\/api\/([A-Za-z0-9_.]+)/.exec(url)?.[1] ?? 'other';
        const end = slackLatency.startTimer({ method });
        let res: Response;
        try {
          res = await base(input, init);
        } catch (err) {
          end();
          slackCalls.inc({ method, outcome: 'network_error' });
          throw err;
        }
        end();
        let outcome = `http_${res.status}`;
        if (res.ok) {
          const body = (await res.clone().json().catch(() => undefined)) as { ok?: boolean; error?: string } | undefined;
          outcome = body?.ok === true ? 'ok' : typeof body?.error === 'string' ? body.error.slice(0, 64) : 'unparseable';
        }
        slackCalls.inc({ method, outcome });
        return res;
      }) as typeof fetch;
    },
    instrumentStore(store, hooks) {
      // Every method spelled out (no spread), so a method added to RequestStore fails typecheck here until
      // wired; rest parameters, so an argument added to an existing method is passed through, never dropped.
      return {
        listByRequester: (...a) => store.listByRequester(...a),
        listByState: (...a) => store.listByState(...a),
        listExpiring: (...a) => store.listExpiring(...a),
        appendAudit: (...a) => store.appendAudit(...a),
        listAudit: (...a) => store.listAudit(...a),
        enqueue: (...a) => store.enqueue(...a),
        listOutbox: (...a) => store.listOutbox(...a),
        releaseOutbox: (...a) => store.releaseOutbox(...a),
        renewOutbox: (...a) => store.renewOutbox(...a),
        outboxStats: (...a) => store.outboxStats(...a),
        countByState: (...a) => store.countByState(...a),
        close: (...a) => store.close(...a),
        createRequest: (...a) => timed('createRequest', () => store.createRequest(...a)),
        getRequest: (...a) => timed('getRequest', () => store.getRequest(...a)),
        async transition(...a) {
          const result = await timed('transition', () => store.transition(...a));
          const [, , to, , audit] = a;
          if (result.ok) {
            transitions.inc({ to });
            if (audit?.actor !== 'system' && (to === 'approved' || to === 'denied')) decisions.inc({ decision: to });
          }
          return result;
        },
        // The quorum-th approval moves the request pending → approved inside the store, so it counts as a
        // transition and a decision here just like one made through transition().
        async recordApproval(...a) {
          const result = await timed('recordApproval', () => store.recordApproval(...a));
          if (result.ok && result.approved) {
            transitions.inc({ to: 'approved' });
            decisions.inc({ decision: 'approved' });
          }
          return result;
        },
        listApprovals: (...a) => store.listApprovals(...a),
        registerKey: (...a) => timed('registerKey', () => store.registerKey(...a)),
        getKey: (...a) => timed('getKey', () => store.getKey(...a)),
        listKeys: (...a) => timed('listKeys', () => store.listKeys(...a)),
        updateKey: (...a) => timed('updateKey', () => store.updateKey(...a)),
        markOwnerGone: (...a) => timed('markOwnerGone', () => store.markOwnerGone(...a)),
        listKeyOwners: (...a) => timed('listKeyOwners', () => store.listKeyOwners(...a)),
        updateRequest: (...a) => timed('updateRequest', () => store.updateRequest(...a)),
        claimDue(...a) {
          hooks?.onClaim?.();
          return timed('claimDue', () => store.claimDue(...a));
        },
        completeOutbox: (...a) => timed('completeOutbox', () => store.completeOutbox(...a)),
        completeAndClaimNext: (...a) => timed('completeAndClaimNext', () => store.completeAndClaimNext(...a)),
        async failOutbox(...a) {
          outboxFailures.inc();
          errors.inc({ source: 'outbox' });
          return timed('failOutbox', () => store.failOutbox(...a));
        },
      };
    },
    httpRequest(route, status, seconds) {
      http.inc({ route, status: String(status) });
      httpLatency.observe({ route }, seconds);
    },
    error(source) {
      errors.inc({ source });
    },
  };
}
