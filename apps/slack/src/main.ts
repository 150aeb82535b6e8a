// Entry point (`pnpm slack`, `deno task slack`): validate the environment once, open the request store,
// build the NCP client, start the Bolt app with its outbox worker and sweeper, and shut down cleanly on
// SIGTERM/SIGINT so in-flight outbox items finish or are left for the next start.
import process from 'node:process';
import { createApiGatewayClient, isApiKeyError, redact, resolveCredentials } from '@apikey/core';
import { createNcpConnections } from '@apikey/core/adapter';
import { createSlackApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { openRequestStore } from './store/open-store.ts';

// Start-up failures are printed before the logger exists; they go through the same redaction, with the
// configured secrets masked verbatim, so no error text can carry a token or key out.
function printStartupError(message: string): void {
  const env = process.env;
  const secrets = [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET, env.SLACK_APP_TOKEN, env.NCLOUD_SECRET_KEY, env.NCLOUD_SECRET_ACCESS_KEY]
    .filter((s): s is string => s !== undefined && s !== '');
  console.error(redact(`apikey-slack: ${message}`, secrets));
}

async function main(): Promise<void> {
  const env = process.env;
  let config;
  let ncpSetup;
  try {
    config = loadConfig(env);
    ncpSetup = resolveCredentials({ env });
  } catch (err) {
    if (err instanceof ConfigError) {
      printStartupError(err.message);
    } else if (isApiKeyError(err)) {
      printStartupError(`Invalid configuration:\n  ${err.message}`);
    } else {
      throw err;
    }
    process.exit(2);
  }

  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.botToken, config.signingSecret, config.appToken, ncpSetup.credentials.secretKey, ncpSetup.credentials.accessKey],
  });
  const store = await openRequestStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const ncp = createApiGatewayClient({
    credentials: ncpSetup.credentials,
    // The runtime's way to send a create POST on a connection of its own (Deno would re-send it otherwise).
    freshConnectionFetch: createNcpConnections().freshConnectionFetch,
    site: ncpSetup.site,
    ...(ncpSetup.endpoint !== undefined ? { endpoint: ncpSetup.endpoint } : {}),
    onEvent: (e) => logger.debug(`ncp ${e.type} ${e.method} ${e.url}${e.status !== undefined ? ` ${e.status}` : ''}${e.reason ? ` (${e.reason})` : ''}`),
  });
  const slack = createSlackApp({ config, store, ncp, logger });
  const { port } = await slack.start();
  logger.info(`apikey-slack ready: ${config.appToken !== undefined ? 'Socket Mode' : 'HTTP'} mode, listening on port ${port ?? '?'} (store: ${config.databaseUrl !== undefined ? 'postgres' : 'embedded'}, delivery: ${config.delivery})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    try {
      await slack.stop();
      await store.close();
    } finally {
      clearTimeout(force);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  printStartupError(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
