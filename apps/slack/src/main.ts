// Entry point (`pnpm slack`, `deno task slack`): validate the environment once (or only that, with
// --check-config), open the request store, build the NCP client, start the Bolt app with its outbox worker and
// sweeper, and on SIGTERM/SIGINT drain within APIKEY_SHUTDOWN_TIMEOUT so in-flight outbox items finish or are
// left for the next start (or another replica).
import process from 'node:process';
import { createApiGatewayClient, redact } from '@apikey/core';
import { createNcpConnections } from '@apikey/core/adapter';
import { createSlackApp } from './app.ts';
import { ConfigError, loadEnvironment } from './config.ts';
import type { Policy } from './policy.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { openRequestStore } from './store/open-store.ts';

const USAGE = `usage: main.ts [--check-config]

  (no flag)        start the Slack app (configuration from the environment; see docs/slack-setup.md)
  --check-config   validate the environment and the APIKEY_POLICY file, print a summary, exit 0 when it is usable and 1 when not
`;

// Start-up output is printed before the logger exists; it goes through the same redaction, with the
// configured secrets masked verbatim, so no error text can carry a token or key out.
function printStartupError(message: string): void {
  const env = process.env;
  const secrets = [env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET, env.SLACK_APP_TOKEN, env.NCLOUD_SECRET_KEY, env.NCLOUD_SECRET_ACCESS_KEY]
    // Same floor as the logger: masking a one-letter "secret" verbatim would eat that letter everywhere.
    .filter((s): s is string => s !== undefined && s.length >= 6);
  console.error(redact(`apikey-slack: ${message}`, secrets));
}

/** One line on the validated policy: how many products have their own rule, and the defaults that differ from none. */
function policySummary(policy: Policy): string {
  const d = policy.defaults;
  const parts = [policy.products.size === 0 ? 'no product rules (APIKEY_POLICY unset or without products)' : `${policy.products.size} product rule(s)`];
  if (d.quorum > 1) parts.push(`default quorum ${d.quorum}`);
  if (d.requireProduct) parts.push('every request must name a product');
  return parts.join(', ');
}

function checkConfig(): number {
  try {
    const { config, ncp } = loadEnvironment(process.env);
    const approvers = [...config.approvers.users, ...config.approvers.groups].length;
    console.log([
      'apikey-slack: configuration OK',
      `  mode: ${config.appToken !== undefined ? 'Socket Mode' : 'HTTP (POST /slack/events)'}, endpoints on port ${config.port}`,
      `  store: ${config.databaseUrl !== undefined ? 'Postgres (DATABASE_URL)' : `embedded in ${config.dataDir}`}`,
      `  approvals: channel ${config.approverChannel}, ${approvers} approver id(s)${config.allowSelfApproval ? ', self-approval allowed' : ''}`,
      `  delivery: ${config.delivery}, requests expire after ${Math.round(config.requestTtlMs / 60_000)} min`,
      `  policy: ${policySummary(config.policy)}`,
      `  NCP: site ${ncp.site}${ncp.endpoint !== undefined ? `, endpoint ${ncp.endpoint}` : ''}`,
      '  (offline check: the tokens, the database and NCP are not contacted)',
    ].join('\n'));
    return 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    printStartupError(err.message);
    return 1;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = args.filter((a) => a !== '--check-config');
  if (unknown.length > 0) {
    printStartupError(`unknown argument ${JSON.stringify(unknown[0])}\n${USAGE}`);
    process.exit(2);
  }
  if (args.includes('--check-config')) process.exit(checkConfig());

  let env;
  try {
    env = loadEnvironment(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    printStartupError(err.message);
    process.exit(2);
  }
  const { config, ncp: ncpSetup } = env;

  const logger = createLogger({
    level: config.logLevel,
    secrets: [config.botToken, config.signingSecret, config.appToken, ncpSetup.credentials.secretKey, ncpSetup.credentials.accessKey],
  });
  const store = await openRequestStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const metrics = createMetrics({ store, now: Date.now });
  const ncp = createApiGatewayClient({
    credentials: ncpSetup.credentials,
    // The runtime's way to send a create POST on a connection of its own (Deno would re-send it otherwise).
    freshConnectionFetch: createNcpConnections().freshConnectionFetch,
    site: ncpSetup.site,
    ...(ncpSetup.endpoint !== undefined ? { endpoint: ncpSetup.endpoint } : {}),
    onEvent: (e) => {
      metrics.ncpEvent(e);
      logger.debug(`ncp ${e.type} ${e.method} ${e.url}${e.status !== undefined ? ` ${e.status}` : ''}${e.reason ? ` (${e.reason})` : ''}`);
    },
  });
  const slack = createSlackApp({ config, store, ncp, logger, metrics });
  const { port } = await slack.start();
  logger.info(`apikey-slack ready: ${config.appToken !== undefined ? 'Socket Mode' : 'HTTP'} mode, listening on port ${port ?? '?'} (store: ${config.databaseUrl !== undefined ? 'postgres' : 'embedded'}, delivery: ${config.delivery})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.info(`${signal} received: draining (at most ${config.shutdownTimeoutMs} ms)`);
    const force = setTimeout(() => {
      // Items still leased stay in the store; their lease runs out and this or another replica resumes them.
      logger.error(`shutdown did not finish within ${config.shutdownTimeoutMs} ms; exiting with work left leased in the store`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    try {
      await slack.stop();
      await store.close();
    } catch (err) {
      logger.error('shutdown failed:', err);
      process.exit(1);
    } finally {
      clearTimeout(force);
    }
    logger.info(`stopped cleanly in ${Date.now() - started} ms`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  printStartupError(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
