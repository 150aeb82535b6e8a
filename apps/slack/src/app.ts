// Builds the Bolt app (HTTPReceiver with POST /slack/events, or Socket Mode when an app token is configured;
// GET /healthz, /readyz and /metrics on PORT in both), wires the listeners to the workflow, and owns the outbox
// worker and sweeper lifecycles, including the drain on shutdown.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiGatewayClient } from '@apikey/core';
import { createApproverDirectory } from './approvers.ts';
import { allApprovers } from './policy.ts';
import { App, HTTPReceiver, SocketModeReceiver, type BoltApp, type LogLevel } from './bolt.ts';
import { createHealthRoutes, type ReadinessState } from './health.ts';
import type { SlackAppConfig } from './config.ts';
import { createAfterAck, createIncomingTracker } from './listeners/after-ack.ts';
import { registerListeners } from './listeners/index.ts';
import type { AppLogger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import type { RequestStore } from './store/request-store.ts';
import type { WorkflowContext } from './workflow/context.ts';
import { createHeldResults } from './workflow/held-results.ts';
import { createProductCatalogue } from './workflow/product-catalogue.ts';
import { productPolicyOf } from './workflow/product-policy.ts';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './workflow/outbox-worker.ts';
import { describeFailure } from './workflow/describe-error.ts';
import { createKeySweeper, type KeySweeper } from './workflow/key-sweeper.ts';
import { createSweeper, type Sweeper } from './workflow/sweeper.ts';

export type SlackAppDeps = {
  config: SlackAppConfig;
  store: RequestStore;
  ncp: ApiGatewayClient;
  logger: AppLogger;
  now?: () => number;
  /** Distinguishes replicas in outbox leases (default: random). */
  workerId?: string;
  outbox?: Omit<OutboxWorkerOptions, 'workerId'>;
  sweepIntervalMs?: number;
  approverCacheMs?: number;
  /** How long the product list for the request modal is cached (default 60 s). */
  productCacheMs?: number;
  /** Extra Web API client options (tests lower the timeout). */
  webApiTimeoutMs?: number;
  /** Shared with the NCP client's onEvent (main.ts); created here when absent. */
  metrics?: Metrics;
  /** /readyz reports the worker stuck when it has not polled the outbox for this long (default 10 min). */
  workerStuckAfterMs?: number;
};

export type SlackApp = {
  app: BoltApp;
  ctx: WorkflowContext;
  metrics: Metrics;
  /** What /readyz reports on. */
  readiness(): ReadinessState;
  worker: OutboxWorker;
  sweeper: Sweeper;
  /** Owners gone from Slack, rotation reminders (APIKEY_KEY_SWEEP_INTERVAL). */
  keySweeper: KeySweeper;
  /** Starts receiving, then the worker and the sweeper. Resolves with the bound HTTP port (HTTP mode). */
  start(): Promise<{ port: number | undefined }>;
  /**
   * Drains and stops: /readyz turns 503 at once; the worker takes no new items and finishes (or releases) the
   * ones in hand; the sweeper stops; then the HTTP server closes. Slack requests are still acknowledged (and
   * stored) while the worker drains, because Slack never retries an interaction a closed port refused.
   */
  stop(): Promise<void>;
};

const SHUTDOWN_MARGIN_MS = 2_000;
const CONNECTION_CLOSE_GRACE_MS = 1_000;

// Known paths as metric labels; anything else (scanners, typos) is one bounded 'other'.
const ROUTES = new Set(['/slack/events', '/healthz', '/readyz', '/metrics']);

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? createMetrics({ store: deps.store, now });
  const ready: ReadinessState = { slackAuthOk: false, workerRunning: false, draining: false, lastClaimAt: undefined };
  const store = metrics.instrumentStore(deps.store, { onClaim: () => { ready.lastClaimAt = now(); } });
  const customRoutes = createHealthRoutes({ store, metrics, now, state: () => ready, stuckAfterMs: deps.workerStuckAfterMs ?? 600_000 });
  const receiver = config.appToken !== undefined
    ? new SocketModeReceiver({
        appToken: config.appToken,
        logger,
        customRoutes,
        // The receiver opens the socket with its own Web API client; it must honour SLACK_API_URL too.
        installerOptions: { port: config.port, ...(config.slackApiUrl !== undefined ? { clientOptions: { slackApiUrl: config.slackApiUrl } } : {}) },
      })
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: '/slack/events',
        customRoutes,
        logger,
        processBeforeResponse: false,
        // Below Slack's 3 s so an unmatched payload is answered before Slack gives up on it.
        unhandledRequestTimeoutMillis: 2900,
      });

  const app = new App({
    token: config.botToken,
    receiver,
    logger,
    // Bolt resets a given logger to INFO unless told otherwise, which would override LOG_LEVEL.
    logLevel: config.logLevel as LogLevel,
    developerMode: false,
    // Initialised in start(): Bolt's eager auth.test would otherwise run in the constructor, where a failure
    // is an unhandled rejection that also poisons every later request.
    deferInitialization: true,
    // No conversation-state middleware: nothing here uses it, and it costs a store round trip per request.
    convoStore: false,
    clientOptions: {
      ...(config.slackApiUrl !== undefined ? { slackApiUrl: config.slackApiUrl } : {}),
      // Durable retries live in the outbox; the client only smooths over brief blips and never sleeps on 429.
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000, randomize: true },
      rejectRateLimitedCalls: true,
      timeout: deps.webApiTimeoutMs ?? 10_000,
      fetch: metrics.slackFetch(),
    },
  });

  // Requests seen by the HTTP server (wired in start()), so post-ack Web API calls can wait out a burst.
  const incoming = createIncomingTracker();
  const ctx: WorkflowContext = {
    config,
    store,
    client: app.client,
    ncp: deps.ncp,
    logger,
    approvers: createApproverDirectory({
      ...allApprovers(config.policy),
      client: app.client,
      now,
      ...(deps.approverCacheMs !== undefined ? { cacheMs: deps.approverCacheMs } : {}),
    }),
    policy: productPolicyOf(deps.config.policy),
    products: createProductCatalogue({ ncp: deps.ncp, logger, now, ...(deps.productCacheMs !== undefined ? { cacheMs: deps.productCacheMs } : {}) }),
    held: createHeldResults(),
    now,
    afterAck: createAfterAck({ incoming }),
    // Only called once a listener or the worker runs, by which time `worker` is set.
    wake: () => worker.wake(),
  };
  const worker = createOutboxWorker(ctx, { workerId: deps.workerId ?? `w-${Math.random().toString(36).slice(2, 10)}`, ...deps.outbox });
  const sweeper = createSweeper(ctx, deps.sweepIntervalMs !== undefined ? { intervalMs: deps.sweepIntervalMs } : {});
  const keySweeper = createKeySweeper(ctx, { intervalMs: config.keySweepIntervalMs });

  app.error(async (err) => {
    metrics.error('listener');
    logger.error('listener failed:', err);
  });
  // With a single bot token Bolt does not check which workspace a (validly signed) request comes from.
  let teamId: string | undefined;
  app.use(async (args) => {
    const body = args.body as { team?: { id?: string } | null; team_id?: string; user?: { team_id?: string } };
    const from = body.team?.id ?? body.team_id ?? body.user?.team_id;
    if (teamId !== undefined && from !== undefined && from !== teamId) {
      logger.warn(`ignored a request from workspace ${from} (this app serves ${teamId})`);
      if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
      return;
    }
    await args.next();
  });
  registerListeners(app, ctx);

  const observe = (req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    const path = (req.url ?? '').split('?')[0] ?? '';
    res.once('finish', () => metrics.httpRequest(ROUTES.has(path) ? path : 'other', res.statusCode, (performance.now() - t0) / 1000));
  };

  let started = false;
  let httpServer: Server | undefined;
  return {
    app,
    ctx,
    metrics,
    readiness: () => ({ ...ready }),
    worker,
    sweeper,
    keySweeper,
    async start() {
      let port: number | undefined;
      try {
        const auth = await app.client.auth.test();
        teamId = auth.team_id;
        await app.init();
        ready.slackAuthOk = true;
      } catch (err) {
        throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test): ${describeFailure(err).message}`);
      }
      if (receiver instanceof HTTPReceiver) {
        const listen = { port: config.port, ...(config.host !== undefined ? { host: config.host } : {}) };
        const server = await app.start(listen as never);
        httpServer = server;
        port = (server.address() as AddressInfo | null)?.port;
        server.on('request', (req: IncomingMessage, res: ServerResponse) => {
          incoming.received(res);
          observe(req, res);
        });
      } else {
        await app.start();
        // Socket Mode still serves /healthz, /readyz and /metrics: Bolt's receiver runs a plain HTTP server on
        // PORT (all interfaces) for custom routes. Report the port it really bound (PORT=0 picks one).
        const server = (receiver as unknown as { httpServer?: Server }).httpServer;
        httpServer = server;
        if (server !== undefined && !server.listening) await new Promise((resolve) => server.once('listening', resolve));
        port = (server?.address() as AddressInfo | null)?.port ?? config.port;
        server?.on('request', (req: IncomingMessage, res: ServerResponse) => observe(req, res));
      }
      started = true;
      worker.start();
      ready.workerRunning = true;
      sweeper.start();
      keySweeper.start();
      return { port };
    },
    async stop() {
      ready.draining = true;
      // The worker gets the shutdown budget minus a margin for closing the server and the store, so the process
      // ends by itself: what is still running then is released (message steps) or left leased (key steps).
      await Promise.all([worker.stop({ graceMs: Math.max(0, config.shutdownTimeoutMs - SHUTDOWN_MARGIN_MS) }), sweeper.stop(), keySweeper.stop()]);
      ready.workerRunning = false;
      if (started) {
        // server.close() (inside app.stop) waits for every open connection, and Slack or a load balancer keeps
        // keep-alive connections open: on Deno it then never returns. Idle ones go at once; whatever is still
        // open after a short grace (a request being answered) is closed too.
        const stopping = app.stop();
        httpServer?.closeIdleConnections();
        const closeRest = setTimeout(() => httpServer?.closeAllConnections(), CONNECTION_CLOSE_GRACE_MS);
        try {
          await stopping;
        } finally {
          clearTimeout(closeRest);
        }
      }
      started = false;
    },
  };
}
