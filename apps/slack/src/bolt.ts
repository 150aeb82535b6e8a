// The one place that imports @slack/bolt. Bolt is CommonJS; a default import of the module object works on
// Node (tsx) and on Deno, where named imports from the CJS build have failed before (bolt-js#1763).
import bolt from '@slack/bolt';
import type { LogLevel as BoltLogLevel, webApi } from '@slack/bolt';

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
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
