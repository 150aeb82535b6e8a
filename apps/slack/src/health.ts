// The service endpoints beside Slack's: GET /healthz (the process answers), GET /readyz (this replica can do
// its job: the store answers, Slack accepted the bot token, the outbox worker is running and the replica is not
// draining) and GET /metrics (Prometheus text). Bolt serves them as custom routes, in HTTP and Socket Mode.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from './bolt.ts';
import type { Metrics } from './metrics.ts';
import type { RequestStore } from './store/request-store.ts';

export type ReadinessState = {
  slackAuthOk: boolean;
  workerRunning: boolean;
  draining: boolean;
  /** When the worker last asked the store for work (epoch ms); a loop stuck longer than stuckAfterMs is not ready. */
  lastClaimAt: number | undefined;
};

export type Check = { ok: boolean; detail?: string };

export function createHealthRoutes(o: {
  store: RequestStore;
  metrics: Metrics;
  now: () => number;
  state: () => ReadinessState;
  stuckAfterMs: number;
  storeTimeoutMs?: number;
}): CustomRoute[] {
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const storeCheck = async (): Promise<Check> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Check>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${o.storeTimeoutMs ?? 2000} ms` }), o.storeTimeoutMs ?? 2000);
    });
    try {
      return await Promise.race([o.store.outboxStats(o.now()).then((): Check => ({ ok: true })), timeout]);
    } catch (err) {
      // The driver's message, not the URL: it may carry a password.
      return { ok: false, detail: err instanceof Error ? err.name : 'error' };
    } finally {
      clearTimeout(timer);
    }
  };

  const readiness = async (): Promise<{ ready: boolean; checks: Record<string, Check> }> => {
    const s = o.state();
    const stuck = s.lastClaimAt !== undefined && o.now() - s.lastClaimAt > o.stuckAfterMs;
    const checks: Record<string, Check> = {
      store: await storeCheck(),
      slack: s.slackAuthOk ? { ok: true } : { ok: false, detail: 'auth.test has not passed' },
      worker: !s.workerRunning
        ? { ok: false, detail: 'not running' }
        : stuck ? { ok: false, detail: `no outbox poll for ${Math.round((o.now() - (s.lastClaimAt ?? 0)) / 1000)} s` } : { ok: true },
      accepting: s.draining ? { ok: false, detail: 'shutting down' } : { ok: true },
    };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };

  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => json(res, 200, { ok: true }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        void readiness().then((r) => json(res, r.ready ? 200 : 503, r), () => json(res, 503, { ready: false }));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req: IncomingMessage, res: ServerResponse) => {
        void o.metrics.render().then(
          (text) => {
            res.writeHead(200, { 'content-type': o.metrics.contentType });
            res.end(text);
          },
          () => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end('metrics unavailable\n');
          },
        );
      },
    },
  ];
}
