// createSlackDriver: plays Slack's side towards a Bolt app — slash commands, view submissions, block actions
// and events, signed exactly as Slack signs them, with trigger ids and response URLs issued by the stand-in.
import { signSlackRequest } from './sign.ts';
import { assertUserId } from './slack-ids.ts';
import type { EnvelopeType } from './socket-mode.ts';
import type { SlackStandIn } from './stand-in.ts';
import type { EphemeralMessage, JsonObject, StoredMessage, StoredView } from './types.ts';
import { validateOptionsResponse } from './block-kit.ts';
import { buildViewStateValues, findElement, type InputValue } from './view-state.ts';

/** Slack shows nothing (and treats it as a failure) when the options answer takes longer than this. */
export const SUGGESTION_TIMEOUT_MS = 3000;

/** Slack sends exactly this; `; charset=utf-8` makes Bolt's HTTP receiver answer 400 (it compares the type exactly). */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const VERIFICATION_TOKEN = 'TESTVERIFICATIONTOKEN';

export type SlackDriverOptions = {
  /** The app's events endpoint, e.g. http://127.0.0.1:PORT/slack/events (HTTP transport). */
  appUrl?: string;
  /** Required for the HTTP transport; defaults to the stand-in's `signingSecret`. */
  signingSecret?: string;
  standIn: SlackStandIn;
  /**
   * 'http' (default): signed POSTs to appUrl. 'socket-mode': envelopes over the stand-in's Socket Mode
   * WebSocket to an app that connected with the stand-in's app token; responses carry the ack payload.
   */
  transport?: 'http' | 'socket-mode';
  /** Socket Mode: how long to wait for the app's ack (default 3000 ms, Slack's budget). */
  ackTimeoutMs?: number;
  teamId?: string;
  /** Epoch ms used for X-Slack-Request-Timestamp. */
  now?: () => number;
  fetch?: typeof fetch;
};

export type DriverResponse = {
  status: number;
  /** Parsed JSON when the body is JSON, else the raw text ('' for an empty ack). */
  body: unknown;
  text: string;
  headers: Headers;
};

export type RawRequest = {
  body: string;
  contentType?: string;
  /** 'valid' (default) signs the body; 'bad' sends a wrong signature; 'none' omits both signing headers. */
  signature?: 'valid' | 'bad' | 'none';
  /** Epoch seconds for the timestamp header (default: now). */
  timestamp?: number;
  headers?: Record<string, string>;
};

/**
 * A message the app posted: a StoredMessage, `{ channel, ts }` (channel may come from `channelId`), or an
 * EphemeralMessage from `standIn.ephemerals(user)` (only its user can click it).
 */
export type MessageRef = { ts: string; channel?: string } | StoredMessage | EphemeralMessage;

export function createSlackDriver(opts: SlackDriverOptions) {
  const transport = opts.transport ?? 'http';
  if (transport !== 'http' && transport !== 'socket-mode') {
    throw new TypeError(`createSlackDriver: transport must be 'http' or 'socket-mode' (got ${JSON.stringify(transport)})`);
  }
  if (!opts.standIn) throw new TypeError('createSlackDriver: standIn is required');
  let appUrl: URL | undefined;
  if (transport === 'http' || opts.appUrl !== undefined) {
    try {
      appUrl = new URL(String(opts.appUrl));
    } catch {
      throw new TypeError(`createSlackDriver: appUrl must be an absolute URL (got ${JSON.stringify(opts.appUrl)})`);
    }
  }
  const signingSecret = opts.signingSecret ?? opts.standIn.signingSecret ?? '';
  if (transport === 'http' && (typeof signingSecret !== 'string' || signingSecret === '')) {
    throw new TypeError('createSlackDriver: signingSecret must be a non-empty string (pass it, or start the stand-in with one)');
  }
  const ackTimeoutMs = opts.ackTimeoutMs ?? 3000;
  if (!Number.isFinite(ackTimeoutMs) || ackTimeoutMs <= 0) throw new TypeError('createSlackDriver: ackTimeoutMs must be a positive number');
  const { standIn } = opts;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const teamId = opts.teamId ?? standIn.teamId;
  const team = { id: teamId, domain: standIn.teamDomain };
  let actionSeq = 0;
  // view id → block id → the options last offered there (what the user can pick in an external select).
  const offered = new Map<string, Record<string, JsonObject[]>>();

  async function send(req: RawRequest): Promise<DriverResponse> {
    if (!appUrl || signingSecret === '') throw new Error('send: raw HTTP requests need appUrl and signingSecret');
    const ts = req.timestamp ?? Math.floor(now() / 1000);
    const headers: Record<string, string> = { 'content-type': req.contentType ?? FORM_CONTENT_TYPE, ...req.headers };
    const mode = req.signature ?? 'valid';
    if (mode !== 'none') {
      headers['x-slack-request-timestamp'] = String(ts);
      const good = signSlackRequest(signingSecret, ts, req.body);
      // Flip the last hex digit: same shape, wrong value.
      headers['x-slack-signature'] = mode === 'valid' ? good : good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    }
    const res = await doFetch(appUrl, { method: 'POST', headers, body: req.body });
    const text = await res.text();
    let body: unknown = text;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, body, text, headers: res.headers };
  }

  async function viaSocket(type: EnvelopeType, payload: unknown, o: { retryAttempt?: number } = {}): Promise<DriverResponse> {
    const deliverOpts: { timeoutMs: number; retryAttempt?: number; retryReason?: string } = { timeoutMs: ackTimeoutMs };
    if (o.retryAttempt !== undefined) {
      deliverOpts.retryAttempt = o.retryAttempt;
      deliverOpts.retryReason = 'timeout';
    }
    const ack = await standIn.socketMode.deliver(type, payload, deliverOpts);
    // Bolt acks an empty ack() with `payload: {}`; Slack treats that like an empty HTTP 200.
    const p = ack.payload;
    const empty = p === undefined || p === null || (typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0);
    const body = empty ? '' : p;
    return { status: 200, body, text: body === '' ? '' : typeof body === 'string' ? body : JSON.stringify(body), headers: new Headers() };
  }

  function sendPayload(payload: JsonObject): Promise<DriverResponse> {
    if (transport === 'socket-mode') return viaSocket('interactive', payload);
    return send({ body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() });
  }

  /** A block_actions payload as Slack frames it: who, which app and workspace, the trigger, where, and the one action. */
  function sendBlockActions(userId: string, triggerId: string, where: JsonObject, action: JsonObject): Promise<DriverResponse> {
    return sendPayload({
      type: 'block_actions',
      user: userObj(userId),
      api_app_id: standIn.appId,
      token: VERIFICATION_TOKEN,
      team,
      enterprise: null,
      is_enterprise_install: false,
      trigger_id: triggerId,
      ...where,
      actions: [action],
    });
  }

  function userObj(userId: string): JsonObject {
    return { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: teamId };
  }

  function resolveView(fn: string, userId: string, view: StoredView | string | undefined, callbackId: string | undefined): StoredView {
    let found: StoredView | undefined;
    if (typeof view === 'string') found = standIn.view(view);
    // Only a view that is still open can be submitted or closed; a stale object would hide app bugs.
    else if (view && typeof view === 'object') found = standIn.view(view.id);
    else if (callbackId !== undefined) found = standIn.views(userId).filter((v) => v.callback_id === callbackId).at(-1);
    else throw new TypeError(`${fn}: pass view (object or id) or callbackId`);
    if (!found) {
      const open = standIn.views(userId).map((v) => `${v.id}(${v.callback_id || 'no callback_id'})`);
      throw new Error(`${fn}: no open view ${JSON.stringify(view ?? callbackId)} for ${userId}; open: ${open.join(', ') || 'none'}`);
    }
    return found;
  }

  function viewPayload(v: StoredView, values: JsonObject): JsonObject {
    const { user_id: _u, ...rest } = v;
    return { ...rest, state: { values } };
  }

  return {
    send,
    /** Slack's headers for a body, for tests that build their own requests. */
    sign(body: string, timestamp = Math.floor(now() / 1000)): Record<string, string> {
      return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(signingSecret, timestamp, body) };
    },

    async slashCommand(o: { userId: string; command?: string; text?: string; channelId?: string; channelName?: string; userName?: string }) {
      assertUserId('slashCommand', o.userId);
      const command = o.command ?? '/apikey';
      if (!/^\/\S+$/.test(command)) throw new TypeError(`slashCommand: command must start with "/" (got ${JSON.stringify(command)})`);
      const channelId = o.channelId ?? 'C0TESTCHAN';
      const triggerId = standIn.createTriggerId(o.userId);
      const responseUrl = standIn.createResponseUrl({ userId: o.userId, channelId });
      const fields = {
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        team_domain: standIn.teamDomain,
        channel_id: channelId,
        channel_name: o.channelName ?? 'general',
        user_id: o.userId,
        user_name: o.userName ?? o.userId.toLowerCase(),
        command,
        text: o.text ?? '',
        api_app_id: standIn.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: triggerId,
      };
      const res = transport === 'socket-mode' ? await viaSocket('slash_commands', fields) : await send({ body: new URLSearchParams(fields).toString() });
      // The ack body is what the user sees (ephemeral unless in_channel); record it so tests can read and click it.
      const ackProblems = res.status === 200 ? standIn.recordCommandAck(o.userId, channelId, res.body) : [];
      return { ...res, triggerId, responseUrl, ackProblems };
    },

    /**
     * Submits an open modal. `values` maps input block_ids to what the user typed; the view comes from the
     * stand-in (by object, id, or callbackId), so hash and private_metadata are what the app sent.
     */
    async viewSubmission(o: { userId: string; view?: StoredView | string; callbackId?: string; values?: Readonly<Record<string, InputValue>> }) {
      assertUserId('viewSubmission', o.userId);
      const view = resolveView('viewSubmission', o.userId, o.view, o.callbackId);
      const values = buildViewStateValues(view, o.values, offered.get(view.id));
      standIn.setViewState(view.id, values);
      const triggerId = standIn.createTriggerId(o.userId, view.id);
      const res = await sendPayload({
        type: 'view_submission',
        team,
        user: userObj(o.userId),
        api_app_id: standIn.appId,
        token: VERIFICATION_TOKEN,
        trigger_id: triggerId,
        view: viewPayload(view, values),
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      });
      let ackProblems: string[] = [];
      if (res.status === 200) ackProblems = standIn.applySubmissionAck(view.id, res.text === '' ? undefined : res.body);
      const b = res.body as JsonObject | undefined;
      const errors = b && typeof b === 'object' && b['response_action'] === 'errors' ? (b['errors'] as Record<string, string>) : undefined;
      return { ...res, triggerId, viewId: view.id, errors, ackProblems };
    },

    /**
     * The user types into an external select in an open modal: a `block_suggestion` payload (no trigger_id, no
     * response_url), answered by the ack. The answer is checked as Slack does (≤ 100 options, text and value
     * ≤ 75, within 3 s); `problems` lists what Slack would refuse (a slow answer shows the user nothing). The
     * options become what viewSubmission can pick for that block.
     */
    async blockSuggestion(o: { userId: string; view?: StoredView | string; callbackId?: string; blockId: string; value?: string }) {
      assertUserId('blockSuggestion', o.userId);
      const view = resolveView('blockSuggestion', o.userId, o.view, o.callbackId);
      const block = view.blocks.find((b) => (b as JsonObject)['block_id'] === o.blockId) as JsonObject | undefined;
      const el = block?.['element'] as JsonObject | undefined;
      if (!el || (el['type'] !== 'external_select' && el['type'] !== 'multi_external_select')) {
        throw new Error(`blockSuggestion: block "${o.blockId}" of view ${view.id} has no external select`);
      }
      const value = o.value ?? '';
      const minQuery = typeof el['min_query_length'] === 'number' ? el['min_query_length'] : 3;
      if ([...value].length < minQuery) throw new Error(`blockSuggestion: Slack sends nothing before ${minQuery} characters are typed (got ${JSON.stringify(value)})`);
      const started = Date.now();
      const res = await sendPayload({
        type: 'block_suggestion',
        user: userObj(o.userId),
        container: { type: 'view', view_id: view.id },
        api_app_id: standIn.appId,
        token: VERIFICATION_TOKEN,
        action_id: typeof el['action_id'] === 'string' ? el['action_id'] : '',
        block_id: o.blockId,
        value,
        team,
        enterprise: null,
        is_enterprise_install: false,
        view: viewPayload(view, view.state.values),
      });
      const elapsedMs = Date.now() - started;
      const problems: string[] = [];
      if (res.status !== 200) problems.push(`answered HTTP ${res.status}`);
      else problems.push(...validateOptionsResponse(res.body));
      if (elapsedMs > SUGGESTION_TIMEOUT_MS) problems.push(`answered after ${elapsedMs} ms (Slack gives up after ${SUGGESTION_TIMEOUT_MS} ms)`);
      const body = res.body as JsonObject | undefined;
      const options: JsonObject[] = problems.length > 0 || !body || typeof body !== 'object'
        ? []
        : Array.isArray(body['options'])
          ? (body['options'] as JsonObject[])
          : Array.isArray(body['option_groups'])
            ? (body['option_groups'] as JsonObject[]).flatMap((g) => (Array.isArray(g['options']) ? (g['options'] as JsonObject[]) : []))
            : [];
      offered.set(view.id, { ...offered.get(view.id), [o.blockId]: options });
      return { ...res, options, problems, elapsedMs };
    },

    /**
     * The user closes a modal (X or Cancel). It leaves the stand-in's stack; the app gets a `view_closed`
     * payload only if the view set `notify_on_close: true`, as on Slack — otherwise this returns undefined.
     */
    async viewClosed(o: { userId: string; view?: StoredView | string; callbackId?: string; isCleared?: boolean }): Promise<DriverResponse | undefined> {
      assertUserId('viewClosed', o.userId);
      const view = resolveView('viewClosed', o.userId, o.view, o.callbackId);
      standIn.applySubmissionAck(view.id, o.isCleared ? { response_action: 'clear' } : undefined);
      if (view['notify_on_close'] !== true) return undefined;
      return sendPayload({
        type: 'view_closed',
        team,
        user: userObj(o.userId),
        api_app_id: standIn.appId,
        token: VERIFICATION_TOKEN,
        view: viewPayload(view, view.state.values),
        is_cleared: o.isCleared ?? false,
      });
    },

    /**
     * Clicks a button (or picks an option) in a message the app posted, or in an open view / Home tab.
     * The element must exist there: clicking something the app never rendered throws.
     */
    async blockAction(o: {
      userId: string;
      actionId: string;
      /** Overrides the element's value (buttons) or selects this option value (selects, overflow). */
      value?: string;
      message?: MessageRef;
      view?: StoredView | string;
      /** The message's channel when `message` carries only a ts. */
      channelId?: string;
      /** The block holding the element, when several blocks have one with this action id (rows of a list). */
      blockId?: string;
    }) {
      assertUserId('blockAction', o.userId);
      if (typeof o.actionId !== 'string' || o.actionId === '') throw new TypeError('blockAction: actionId must be a non-empty string');
      if ((o.message === undefined) === (o.view === undefined)) throw new TypeError('blockAction: pass exactly one of message or view');
      actionSeq += 1;
      const actionTs = `${Math.floor(now() / 1000)}.${String(actionSeq).padStart(6, '0')}`;
      let blocks: unknown;
      let payload: JsonObject;
      let triggerId: string;
      let responseUrl: string | undefined;
      if (o.message && 'message_ts' in o.message) {
        const ref = o.message;
        const eph = standIn.ephemerals(o.userId).find((e) => e.message_ts === ref.message_ts && e.channel === ref.channel);
        if (!eph) throw new Error(`blockAction: ${o.userId} has no ephemeral message ${ref.message_ts} (it belongs to ${ref.user}, or was deleted)`);
        blocks = eph.blocks;
        triggerId = standIn.createTriggerId(o.userId);
        responseUrl = standIn.createResponseUrl({ userId: o.userId, channelId: eph.channel, ephemeralTs: eph.message_ts });
        // Slack sends no `message` object for ephemeral messages.
        payload = {
          container: { type: 'message', message_ts: eph.message_ts, channel_id: eph.channel, is_ephemeral: true },
          channel: { id: eph.channel, name: eph.channel.startsWith('D') ? 'directmessage' : eph.channel.toLowerCase() },
          response_url: responseUrl,
          state: { values: {} },
        };
      } else if (o.message) {
        const ref = o.message;
        const channelId = ref.channel ?? o.channelId;
        if (channelId === undefined) throw new TypeError('blockAction: message.channel or channelId is required');
        const msg = standIn.messages(channelId).find((m) => m.ts === ref.ts);
        if (!msg) throw new Error(`blockAction: no message ${ref.ts} in ${channelId} (deleted, or never posted)`);
        blocks = msg.blocks;
        triggerId = standIn.createTriggerId(o.userId);
        responseUrl = standIn.createResponseUrl({ userId: o.userId, channelId, messageTs: msg.ts });
        const { channel: _c, via: _v, options: _o, ...message } = msg;
        payload = {
          container: { type: 'message', message_ts: msg.ts, channel_id: channelId, is_ephemeral: false },
          channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase() },
          message: { ...message, team: teamId, app_id: standIn.appId },
          response_url: responseUrl,
          state: { values: {} },
        };
      } else {
        const viewId = typeof o.view === 'string' ? o.view : o.view!.id;
        const view = standIn.view(viewId);
        if (!view) throw new Error(`blockAction: view ${viewId} is not open`);
        blocks = view.blocks;
        triggerId = standIn.createTriggerId(o.userId, view.id);
        const { user_id: _u, ...v } = view;
        payload = { container: { type: 'view', view_id: view.id }, view: v };
      }
      const found = findElement(blocks, o.actionId, o.blockId);
      if (!found) throw new Error(`blockAction: no element with action_id "${o.actionId}" there${o.blockId !== undefined ? ` in block ${o.blockId}` : ''}`);
      const el = found.element;
      const type = String(el['type']);
      const action: JsonObject = {
        type,
        action_id: o.actionId,
        block_id: found.blockId ?? `blk${actionSeq}`,
        action_ts: actionTs,
      };
      if (type === 'users_select') {
        // Slack names the picked user, not an option.
        if (o.value !== undefined) action['selected_user'] = o.value;
      } else if (type === 'button') {
        action['text'] = el['text'];
        const value = o.value ?? el['value'];
        if (value !== undefined) action['value'] = value;
        if (el['style'] !== undefined) action['style'] = el['style'];
      } else if (o.value !== undefined) {
        const opts = [
          ...(Array.isArray(el['options']) ? (el['options'] as JsonObject[]) : []),
        ];
        const opt = opts.find((x) => x['value'] === o.value);
        if (opts.length > 0 && !opt) throw new Error(`blockAction: "${o.actionId}" has no option with value ${JSON.stringify(o.value)}`);
        if (opt) action['selected_option'] = opt;
        else action['value'] = o.value;
      }
      const res = await sendBlockActions(o.userId, triggerId, payload, action);
      return { ...res, triggerId, responseUrl };
    },

    /**
     * A button click Slack would not send from what the user sees: one the app has since removed from `message`
     * (a stale client), or one never rendered for this user at all (a forged or replayed payload). Signed like
     * every request, so the app can only refuse it on its own checks.
     */
    async staleBlockAction(o: { userId: string; actionId: string; value: string; message?: { ts: string; channel: string } }) {
      assertUserId('staleBlockAction', o.userId);
      actionSeq += 1;
      const at = o.message ?? { ts: '1.000001', channel: 'C0STALE' };
      const triggerId = standIn.createTriggerId(o.userId);
      const res = await sendBlockActions(o.userId, triggerId, {
        container: { type: 'message', message_ts: at.ts, channel_id: at.channel, is_ephemeral: o.message === undefined },
        channel: { id: at.channel },
        ...(o.message !== undefined ? { message: { ts: at.ts, type: 'message' } } : {}),
      }, { type: 'button', action_id: o.actionId, block_id: o.actionId, value: o.value, action_ts: `${Math.floor(now() / 1000)}.${String(actionSeq).padStart(6, '0')}` });
      return { ...res, triggerId };
    },

    /** An Events API delivery (JSON), e.g. app_home_opened. */
    async event(event: JsonObject, o: { eventId?: string; retryNum?: number } = {}) {
      if (!event || typeof event['type'] !== 'string') throw new TypeError('event: event.type must be a string');
      actionSeq += 1;
      const envelope = {
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        api_app_id: standIn.appId,
        event,
        type: 'event_callback',
        event_id: o.eventId ?? `Ev0${String(actionSeq).padStart(8, '0')}`,
        event_time: Math.floor(now() / 1000),
      };
      if (transport === 'socket-mode') return viaSocket('events_api', envelope, o.retryNum === undefined ? {} : { retryAttempt: o.retryNum });
      const body = JSON.stringify(envelope);
      const headers: Record<string, string> = {};
      if (o.retryNum !== undefined) {
        headers['x-slack-retry-num'] = String(o.retryNum);
        headers['x-slack-retry-reason'] = 'http_timeout';
      }
      return send({ body, contentType: 'application/json', headers });
    },

    /** Slack's URL check when the Events URL is saved: the app must echo the challenge. HTTP only. */
    urlVerification(challenge = 'testkit-challenge') {
      if (transport !== 'http') throw new Error('urlVerification: only sent over HTTP');
      return send({ body: JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' }), contentType: 'application/json' });
    },

    appHomeOpened(userId: string) {
      assertUserId('appHomeOpened', userId);
      const dm = standIn.dmChannel(userId) ?? 'D0HOMETAB';
      return this.event({ type: 'app_home_opened', user: userId, channel: dm, tab: 'home', event_ts: `${Math.floor(now() / 1000)}.000100` });
    },
  };
}
export type SlackDriver = ReturnType<typeof createSlackDriver>;
