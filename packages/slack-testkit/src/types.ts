// Public record shapes of the Slack stand-in: what tests read back after the app has talked to it.

export type JsonObject = Record<string, unknown>;

export type SlackUser = {
  id: string;
  name?: string;
  real_name?: string;
  is_bot?: boolean;
  deleted?: boolean;
  is_admin?: boolean;
  tz?: string;
  profile?: JsonObject;
};

/** How the request authenticated. The token text itself is never stored. */
export type TokenStatus = 'valid' | 'invalid' | 'missing';

export type RecordedCall = {
  seq: number;
  /** Web API method name (e.g. `chat.postMessage`) or `response_url` for posts to a response URL sink. */
  method: string;
  /** Parsed arguments, with JSON string fields (`view`, `blocks`, …) decoded and any `token` field removed. */
  args: JsonObject;
  token: TokenStatus;
  tokenMatched: boolean;
  contentType: string;
  /** Epoch ms on the stand-in's clock. */
  at: number;
  response: { status: number; body: JsonObject };
  /** For `response_url` calls: the response URL id. */
  responseUrlId?: string;
};

export type StoredMessage = {
  channel: string;
  ts: string;
  type: 'message';
  user: string;
  bot_id: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  edited?: { user: string; ts: string };
  /** How it was posted: `chat.postMessage`, a `response_url`, or a slash command's in_channel ack. */
  via: 'chat.postMessage' | 'response_url' | 'command_ack';
  /** Extra posting options as sent (unfurl_links, unfurl_media, …), stringly like the form body. */
  options: JsonObject;
};

export type EphemeralMessage = {
  channel: string;
  user: string;
  message_ts: string;
  text?: string;
  blocks?: unknown[];
  via: 'chat.postEphemeral' | 'response_url' | 'command_ack';
};

export type StoredView = JsonObject & {
  id: string;
  type: 'modal' | 'home';
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  callback_id: string;
  private_metadata: string;
  external_id: string;
  blocks: unknown[];
  state: { values: JsonObject };
  team_id: string;
  app_id: string;
  bot_id: string;
  /** The user the view is shown to (not part of Slack's view object; kept for tests). */
  user_id: string;
};

export type SlackErrorBody = { ok: false; error: string; [k: string]: unknown };
