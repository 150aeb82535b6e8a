// The one place that imports @slack/bolt. Bolt is CommonJS, and runtimes expose it differently: Node's ESM
// loader and Deno give the module object as the default export (named imports have failed on Deno,
// bolt-js#1763), while Vite/vitest honour `__esModule` and give `exports.default` (the App class). So take the
// namespace and pick whichever layer actually carries the receivers.
import * as boltNamespace from '@slack/bolt';
import type { LogLevel as BoltLogLevel, webApi } from '@slack/bolt';

type BoltModule = typeof import('@slack/bolt');

function resolveBolt(ns: unknown): BoltModule {
  const candidates = [ns, (ns as { default?: unknown }).default, (ns as { default?: { default?: unknown } }).default?.default];
  for (const c of candidates) {
    if (c !== null && (typeof c === 'object' || typeof c === 'function') && typeof (c as { HTTPReceiver?: unknown }).HTTPReceiver === 'function') {
      return c as BoltModule;
    }
  }
  throw new Error('could not load @slack/bolt (no HTTPReceiver export found)');
}

const bolt = resolveBolt(boltNamespace);

export const { App, HTTPReceiver, SocketModeReceiver, LogLevel } = bolt;
export type LogLevel = BoltLogLevel;
export type WebClient = webApi.WebClient;
export type {
  App as BoltApp,
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  CustomRoute,
  Logger,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
