// Shared fixtures: a stand-in, a WebClient tuned for tests, and a real Bolt app on an ephemeral port.
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startSlackStandIn, type SlackStandIn, type SlackStandInOptions } from '../src/index.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export function webClient(standIn: SlackStandIn, token = standIn.botToken): WebClient {
  // Test-friendly settings: no retries, 429 throws at once (no waiting out Retry-After).
  return new WebClient(token, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
}

export async function withStandIn(opts: SlackStandInOptions = {}): Promise<SlackStandIn> {
  return startSlackStandIn({ signingSecret: SIGNING_SECRET, ...opts });
}

export type LogLine = { level: string; text: string };

export async function startBoltApp(standIn: SlackStandIn, register: (app: App) => void) {
  const logs: LogLine[] = [];
  const log = (level: string) => (...msgs: unknown[]) => {
    logs.push({ level, text: msgs.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ') });
  };
  const app = new App({
    token: standIn.botToken,
    signingSecret: SIGNING_SECRET,
    clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
    logger: {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      setLevel: () => {},
      getLevel: () => LogLevel.DEBUG,
      setName: () => {},
    },
    logLevel: LogLevel.DEBUG,
  });
  register(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const port = (server.address() as AddressInfo).port;
  return { app, logs, url: `http://127.0.0.1:${port}/slack/events`, stop: () => app.stop() };
}
