// Builds the Bolt app (HTTPReceiver with POST /slack/events and GET /healthz, or Socket Mode when an app token
// is configured), wires the listeners to the workflow, and owns the outbox worker and sweeper lifecycles.
import type { AddressInfo } from 'node:net';
import type { ApiGatewayClient } from '@apikey/core';
import { createApproverDirectory } from './approvers.ts';
import { App, HTTPReceiver, SocketModeReceiver, type BoltApp, type CustomRoute, type LogLevel } from './bolt.ts';
import type { SlackAppConfig } from './config.ts';
import { registerListeners } from './listeners/index.ts';
import type { AppLogger } from './logger.ts';
import type { RequestStore } from './store/request-store.ts';
import type { WorkflowContext } from './workflow/context.ts';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './workflow/outbox-worker.ts';
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
    ? new SocketModeReceiver({ appToken: config.appToken, logger, customRoutes: [healthz], installerOptions: { port: config.port } })
    : new HTTPReceiver({
        signingSecret: config.signingSecret ?? '',
        endpoints: '/slack/events',
        customRoutes: [healthz],
        logger,
        processBeforeResponse: false,
        // Below Slack's 3 s so an unmatched payload is answered before Slack gives up on it.
        unhandledRequestTimeoutMillis: 2500,
      });

  const app = new App({
    token: config.botToken,
    receiver,
    logger,
    // Bolt resets a given logger to INFO unless told otherwise, which would override LOG_LEVEL.
    logLevel: config.logLevel as LogLevel,
    developerMode: false,
    clientOptions: {
      ...(config.slackApiUrl !== undefined ? { slackApiUrl: config.slackApiUrl } : {}),
      // Durable retries live in the outbox; the client only smooths over brief blips and never sleeps on 429.
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000, randomize: true },
      rejectRateLimitedCalls: true,
      timeout: deps.webApiTimeoutMs ?? 10_000,
    },
  });

  let worker: OutboxWorker | undefined;
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
    wake: () => worker?.wake(),
  };
  worker = createOutboxWorker(ctx, { workerId: deps.workerId ?? `w-${Math.random().toString(36).slice(2, 10)}`, ...deps.outbox });
  const sweeper = createSweeper(ctx, deps.sweepIntervalMs !== undefined ? { intervalMs: deps.sweepIntervalMs } : {});

  app.error(async (err) => {
    logger.error('listener failed:', err);
  });
  registerListeners(app, ctx);

  const started = { value: false };
  return {
    app,
    ctx,
    worker,
    sweeper,
    async start() {
      let port: number | undefined;
      if (receiver instanceof HTTPReceiver) {
        const listen = { port: config.port, ...(config.host !== undefined ? { host: config.host } : {}) };
        const server = await app.start(listen as never);
        port = (server.address() as AddressInfo | null)?.port;
      } else {
        await app.start();
        port = config.port;
      }
      started.value = true;
      worker?.start();
      sweeper.start();
      return { port };
    },
    async stop() {
      await Promise.all([worker?.stop(), sweeper.stop()]);
      if (started.value) await app.stop();
      started.value = false;
    },
  };
}
