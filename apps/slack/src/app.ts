// Builds the Bolt app (HTTPReceiver with POST /slack/events and GET /healthz, or Socket Mode when an app token
// is configured), wires the listeners to the workflow, and owns the outbox worker and sweeper lifecycles.
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiGatewayClient } from '@apikey/core';
import { createApproverDirectory } from './approvers.ts';
import { App, HTTPReceiver, SocketModeReceiver, type BoltApp, type CustomRoute, type LogLevel } from './bolt.ts';
import type { SlackAppConfig } from './config.ts';
import { createAfterAck, createIncomingTracker } from './listeners/after-ack.ts';
import { registerListeners } from './listeners/index.ts';
import type { AppLogger } from './logger.ts';
import type { RequestStore } from './store/request-store.ts';
import type { WorkflowContext } from './workflow/context.ts';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './workflow/outbox-worker.ts';
import { describeFailure } from './workflow/describe-error.ts';
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
  /** Extra Web API client options (tests lower the timeout). */
  webApiTimeoutMs?: number;
};

export type SlackApp = {
  app: BoltApp;
  ctx: WorkflowContext;
  worker: OutboxWorker;
  sweeper: Sweeper;
  /** Starts receiving, then the worker and the sweeper. Resolves with the bound HTTP port (HTTP mode). */
  start(): Promise<{ port: number | undefined }>;
  stop(): Promise<void>;
};

const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  },
};

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const receiver = config.appToken !== undefined
    ? new SocketModeReceiver({
        appToken: config.appToken,
        logger,
        customRoutes: [healthz],
        // The receiver opens the socket with its own Web API client; it must honour SLACK_API_URL too.
        installerOptions: { port: config.port, ...(config.slackApiUrl !== undefined ? { clientOptions: { slackApiUrl: config.slackApiUrl } } : {}) },
      })
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: '/slack/events',
        customRoutes: [healthz],
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
    },
  });

  // Requests seen by the HTTP server (wired in start()), so post-ack Web API calls can wait out a burst.
  const incoming = createIncomingTracker();
  const ctx: WorkflowContext = {
    config,
    store: deps.store,
    client: app.client,
    ncp: deps.ncp,
    logger,
    approvers: createApproverDirectory({
      users: config.approvers.users,
      groups: config.approvers.groups,
      client: app.client,
      now,
      ...(deps.approverCacheMs !== undefined ? { cacheMs: deps.approverCacheMs } : {}),
    }),
    now,
    afterAck: createAfterAck({ incoming }),
    // Only called once a listener or the worker runs, by which time `worker` is set.
    wake: () => worker.wake(),
  };
  const worker = createOutboxWorker(ctx, { workerId: deps.workerId ?? `w-${Math.random().toString(36).slice(2, 10)}`, ...deps.outbox });
  const sweeper = createSweeper(ctx, deps.sweepIntervalMs !== undefined ? { intervalMs: deps.sweepIntervalMs } : {});

  app.error(async (err) => {
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

  let started = false;
  return {
    app,
    ctx,
    worker,
    sweeper,
    async start() {
      let port: number | undefined;
      try {
        const auth = await app.client.auth.test();
        teamId = auth.team_id;
        await app.init();
      } catch (err) {
        throw new Error(`Slack did not accept SLACK_BOT_TOKEN (auth.test): ${describeFailure(err).message}`);
      }
      if (receiver instanceof HTTPReceiver) {
        const listen = { port: config.port, ...(config.host !== undefined ? { host: config.host } : {}) };
        const server = await app.start(listen as never);
        port = (server.address() as AddressInfo | null)?.port;
        server.on('request', (_req: unknown, res: ServerResponse) => incoming.received(res));
      } else {
        await app.start();
        port = config.port;
      }
      started = true;
      worker.start();
      sweeper.start();
      return { port };
    },
    async stop() {
      await Promise.all([worker.stop(), sweeper.stop()]);
      if (started) await app.stop();
      started = false;
    },
  };
}
