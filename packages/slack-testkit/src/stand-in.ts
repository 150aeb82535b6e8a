// startSlackStandIn: the Slack Web API stand-in over real HTTP on 127.0.0.1 (node:http, so Node and Deno).
// Owns routing, auth, fault injection and the call log; workspace.ts owns the Slack state.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createFaults, type FailOptions, type RateLimitOptions } from './faults.ts';
import { parseApiRequest } from './parse-request.ts';
import { assertUserId, USER_ID } from './slack-ids.ts';
import { createSocketMode, type EnvelopeType, type SocketAck } from './socket-mode.ts';
import { createTriggerRegistry } from './trigger-ids.ts';
import type { EphemeralMessage, JsonObject, RecordedCall, SlackUser, StoredMessage, StoredView, TokenStatus } from './types.ts';
import { createWorkspace, type ApiResult } from './workspace.ts';

export type SlackStandInOptions = {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Kept for drivers created from this stand-in; the stand-in itself does not verify inbound signatures. */
  signingSecret?: string;
  /** The one bot token the Web API accepts (default `xoxb-test-token`). */
  botToken?: string;
  /** The app-level token for Socket Mode's apps.connections.open (default `xapp-test-token`). */
  appToken?: string;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  users?: readonly SlackUser[];
  /** Usergroup id (S…) → member user ids. */
  usergroups?: Readonly<Record<string, readonly string[]>>;
  channels?: readonly string[];
  /** Reject unknown user ids. Default: true when `users` is given and non-empty. */
  strictUsers?: boolean;
  /** Undocumented Slack cap on the total text inside a message's blocks (msg_blocks_too_long). Default 12 000. */
  blocksTextLimit?: number;
  /** Epoch ms; drives trigger expiry, response_url expiry and message ts. */
  now?: () => number;
};

export type CallListener = (call: RecordedCall) => void;

export type SlackStandIn = {
  /** Web API base, ends with `/api/` (SLACK_API_URL / clientOptions.slackApiUrl). */
  url: string;
  origin: string;
  port: number;
  botToken: string;
  appToken: string;
  signingSecret: string | undefined;
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  calls(method?: string): RecordedCall[];
  messages(channel?: string): StoredMessage[];
  /** Messages in the bot's DM with this user (empty when no DM was opened). */
  dms(userId: string): StoredMessage[];
  dmChannel(userId: string): string | undefined;
  ephemerals(userId?: string): EphemeralMessage[];
  /** Open modal views (every stack, bottom first), optionally for one user. */
  views(userId?: string): StoredView[];
  view(viewId: string): StoredView | undefined;
  homeView(userId: string): StoredView | undefined;
  /** Issues a trigger_id: single use, valid for 3 s. `viewId` marks it as coming from inside that modal. */
  createTriggerId(userId?: string, viewId?: string): string;
  /** A response_url pointing at this stand-in's sink. `messageTs` makes replace/delete_original act on that message. */
  createResponseUrl(ctx: { userId: string; channelId: string; messageTs?: string; ephemeralTs?: string }): string;
  /** Makes `method` ('*' for all) answer `{ok:false,error}` for `times` calls (default: until cleared). */
  fail(method: string, error: string, o?: FailOptions): void;
  /** Makes `method` answer HTTP 429 + Retry-After + `{ok:false,error:'ratelimited'}`. */
  rateLimit(method: string, o?: RateLimitOptions): void;
  latency(method: string, ms: number): void;
  clearFaults(method?: string): void;
  setUser(user: SlackUser): void;
  setUsergroup(id: string, members: readonly string[]): void;
  onCall(listener: CallListener): () => void;
  /** Resolves with the first recorded call (past or future) of `method` matching `predicate`. */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Internal to the driver: mirrors a view_submission ack onto the view stack. */
  applySubmissionAck(viewId: string, ack: unknown): string[];
  setViewState(viewId: string, values: JsonObject): void;
  /** Internal to the driver: shows a slash command's ack body to the user (ephemeral or in_channel). */
  recordCommandAck(userId: string, channelId: string, ack: unknown): string[];
  /** Socket Mode: apps connect through apps.connections.open (app token) and get envelopes over WebSocket. */
  socketMode: {
    connections(): number;
    waitForConnection(timeoutMs?: number): Promise<void>;
    deliver(type: EnvelopeType, payload: unknown, o?: { timeoutMs?: number; retryAttempt?: number; retryReason?: string }): Promise<SocketAck>;
    disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  };
  reset(): void;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on('data', (c: Uint8Array) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const IDENTIFIER = /^[A-Z][A-Z0-9]{2,}$/;

export async function startSlackStandIn(opts: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const now = opts.now ?? Date.now;
  const botToken = opts.botToken ?? 'xoxb-test-token';
  if (typeof botToken !== 'string' || botToken.trim() === '') throw new TypeError('startSlackStandIn: botToken must be a non-empty string');
  const appToken = opts.appToken ?? 'xapp-test-token';
  if (typeof appToken !== 'string' || appToken.trim() === '' || appToken === botToken) {
    throw new TypeError('startSlackStandIn: appToken must be a non-empty string different from botToken');
  }
  const teamId = opts.teamId ?? 'T0TESTTEAM';
  const botUserId = opts.botUserId ?? 'U0BOTUSER';
  const botId = opts.botId ?? 'B0BOTID';
  const appId = opts.appId ?? 'A0TESTAPP';
  for (const [name, v] of Object.entries({ teamId, botUserId, botId, appId })) {
    if (!IDENTIFIER.test(v)) throw new TypeError(`startSlackStandIn: ${name} must look like a Slack id (got ${JSON.stringify(v)})`);
  }
  for (const u of opts.users ?? []) {
    if (typeof u?.id !== 'string' || !USER_ID.test(u.id)) throw new TypeError(`startSlackStandIn: user id must start with U or W (got ${JSON.stringify(u?.id)})`);
  }
  for (const id of Object.keys(opts.usergroups ?? {})) {
    if (!/^S[A-Z0-9]+$/.test(id)) throw new TypeError(`startSlackStandIn: usergroup id must start with S (got ${JSON.stringify(id)})`);
  }
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
    throw new TypeError(`startSlackStandIn: port must be an integer 0–65535 (got ${String(opts.port)})`);
  }
  const blocksTextLimit = opts.blocksTextLimit ?? 12_000;
  if (!Number.isInteger(blocksTextLimit) || blocksTextLimit < 1) throw new TypeError('startSlackStandIn: blocksTextLimit must be a positive integer');

  const triggers = createTriggerRegistry(now);
  const socket = createSocketMode({ appId, now });
  const faults = createFaults();
  const ws = createWorkspace({
    teamId,
    teamDomain: opts.teamDomain ?? 'apikey-test',
    botUserId,
    botId,
    appId,
    users: opts.users ?? [],
    usergroups: opts.usergroups ?? {},
    channels: opts.channels,
    strictUsers: opts.strictUsers ?? (opts.users !== undefined && opts.users.length > 0),
    blocksTextLimit,
    now,
    triggers,
  });

  let calls: RecordedCall[] = [];
  const listeners = new Set<CallListener>();
  let seq = 0;

  function record(call: Omit<RecordedCall, 'seq'>): void {
    seq += 1;
    const full: RecordedCall = { seq, ...call };
    calls.push(full);
    for (const l of [...listeners]) l(full);
  }

  async function handleApi(method: string, req: IncomingMessage, res: ServerResponse, raw: string, query: URLSearchParams): Promise<void> {
    const parsed = parseApiRequest(raw, header(req, 'content-type'), header(req, 'authorization'), query);
    const delay = faults.latencyFor(method);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));

    let tokenStatus: TokenStatus = 'missing';
    let args: JsonObject = {};
    let result: ApiResult;
    let extraHeaders: Record<string, string> = {};
    if (!parsed.ok) {
      result = { body: { ok: false, error: parsed.error } };
    } else {
      args = parsed.args;
      // apps.connections.open takes only the app-level token; everything else only the bot token.
      const expected = method === 'apps.connections.open' ? appToken : botToken;
      const other = method === 'apps.connections.open' ? botToken : appToken;
      tokenStatus = parsed.token === undefined || parsed.token === '' ? 'missing' : parsed.token === expected ? 'valid' : 'invalid';
      const wrongType = tokenStatus === 'invalid' && parsed.token === other;
      const handler =
        method === 'apps.connections.open'
          ? () => ({ body: { ok: true, url: `ws://127.0.0.1:${port}/socket-mode/${socket.issueTicket()}` } })
          : Object.hasOwn(ws.methods, method)
            ? ws.methods[method]
            : undefined;
      const fault = handler && tokenStatus === 'valid' ? faults.take(method) : undefined;
      if (!handler) result = { body: { ok: false, error: 'unknown_method', req_method: method } };
      else if (method !== 'api.test' && tokenStatus === 'missing') result = { body: { ok: false, error: 'not_authed' } };
      else if (method !== 'api.test' && wrongType) result = { body: { ok: false, error: 'not_allowed_token_type' } };
      else if (method !== 'api.test' && tokenStatus === 'invalid') result = { body: { ok: false, error: 'invalid_auth' } };
      else if (fault?.kind === 'ratelimit') {
        result = { status: 429, body: { ok: false, error: 'ratelimited' } };
        extraHeaders = { 'retry-after': String(fault.retryAfterSeconds) };
      } else if (fault?.kind === 'error') {
        result = { status: fault.status, body: { ...fault.extra, ok: false, error: fault.error } };
      } else result = handler(args);
    }
    const status = result.status ?? 200;
    record({
      method,
      args,
      token: tokenStatus,
      tokenMatched: tokenStatus === 'valid',
      contentType: parsed.contentType,
      at: now(),
      response: { status, body: result.body },
    });
    sendJson(res, status, result.body, extraHeaders);
  }

  function handleResponseUrl(id: string, req: IncomingMessage, res: ServerResponse, raw: string): void {
    const parsed = parseApiRequest(raw, header(req, 'content-type'), undefined, new URLSearchParams());
    let body: JsonObject = {};
    let result: ApiResult;
    if (!parsed.ok) result = { status: 400, body: { ok: false, error: 'invalid_payload' } };
    else {
      body = parsed.args;
      if (typeof body['payload'] === 'string') {
        try {
          body = JSON.parse(body['payload']) as JsonObject;
        } catch {
          body = {};
        }
      }
      result = ws.respond(id, body);
    }
    const status = result.status ?? 200;
    record({
      method: 'response_url',
      args: body,
      token: 'missing',
      tokenMatched: false,
      contentType: parsed.contentType,
      at: now(),
      response: { status, body: result.body },
      responseUrlId: id,
    });
    sendJson(res, status, result.body);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = await readBody(req);
      if (raw === undefined) return sendJson(res, 413, { ok: false, error: 'request_too_large' });
      const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
      if (api && (req.method === 'POST' || req.method === 'GET')) return handleApi(api[1]!, req, res, raw, url.searchParams);
      const resp = /^\/response\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
      if (resp && req.method === 'POST') return handleResponseUrl(resp[1]!, req, res, raw);
      sendJson(res, 404, { ok: false, error: 'not_found' });
    })().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, sock: Duplex) => {
    const m = /^\/socket-mode\/([A-Za-z0-9]+)$/.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!m) {
      sock.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.handleUpgrade(req, sock, m[1]!);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const standIn: SlackStandIn = {
    url: `${origin}/api/`,
    origin,
    port,
    botToken,
    appToken,
    signingSecret: opts.signingSecret,
    teamId,
    teamDomain: opts.teamDomain ?? 'apikey-test',
    botUserId,
    botId,
    appId,
    calls: (method) => calls.filter((c) => method === undefined || c.method === method),
    messages: (channel) => ws.messages(channel),
    dms: (userId) => {
      const d = ws.dmChannel(userId);
      return d ? ws.messages(d) : [];
    },
    dmChannel: (userId) => ws.dmChannel(userId),
    ephemerals: (userId) => ws.ephemerals(userId),
    views: (userId) => ws.openViews(userId),
    view: (id) => ws.viewById(id),
    homeView: (userId) => ws.homeView(userId),
    createTriggerId: (userId = 'U0TESTUSER', viewId) => {
      assertUserId('createTriggerId', userId);
      return triggers.issue(viewId === undefined ? { userId } : { userId, viewId });
    },
    createResponseUrl: (ctx) => {
      assertUserId('createResponseUrl', ctx?.userId);
      if (typeof ctx.channelId !== 'string' || !/^[CGD][A-Z0-9]+$/.test(ctx.channelId)) {
        throw new TypeError(`createResponseUrl: channelId must be a C…, G… or D… id (got ${JSON.stringify(ctx.channelId)})`);
      }
      return `${origin}/response/${ws.createResponseUrlId(ctx)}`;
    },
    fail: (m, e, o) => faults.fail(m, e, o),
    rateLimit: (m, o) => faults.rateLimit(m, o),
    latency: (m, ms) => faults.latency(m, ms),
    clearFaults: (m) => faults.clear(m),
    setUser: (u) => ws.setUser(u),
    setUsergroup: (id, members) => ws.setUsergroup(id, members),
    onCall: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    waitForCall: (method, predicate = () => true, timeoutMs = 2000) => {
      if (!Number.isFinite(timeoutMs) || timeoutMs < 0) return Promise.reject(new TypeError('waitForCall: timeoutMs must be a finite number ≥ 0'));
      const past = calls.find((c) => c.method === method && predicate(c));
      if (past) return Promise.resolve(past);
      return new Promise<RecordedCall>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          const seen = calls.filter((c) => c.method === method).length;
          reject(new Error(`waitForCall: no matching ${method} call within ${timeoutMs} ms (${seen} ${method} call(s) seen)`));
        }, timeoutMs);
        const off = standIn.onCall((c) => {
          if (c.method === method && predicate(c)) {
            clearTimeout(timer);
            off();
            resolve(c);
          }
        });
      });
    },
    applySubmissionAck: (viewId, ack) => ws.applySubmissionAck(viewId, ack),
    setViewState: (viewId, values) => ws.setViewState(viewId, values),
    recordCommandAck: (userId, channelId, ack) => ws.recordCommandAck(userId, channelId, ack),
    socketMode: {
      connections: () => socket.connections(),
      waitForConnection: (ms) => socket.waitForConnection(ms),
      deliver: (type, payload, o) => socket.deliver(type, payload, o),
      disconnect: (reason) => socket.disconnect(reason),
    },
    reset: () => {
      calls = [];
      seq = 0;
      faults.clear();
      triggers.clear();
      ws.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        listeners.clear();
        socket.close();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
  return standIn;
}
