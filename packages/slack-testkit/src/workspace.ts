// The stand-in's Slack workspace: messages, DMs, views, users, response URLs, and the Web API methods
// that read and change them. Pure state + handlers; HTTP lives in stand-in.ts.
import { blocksTextLength, validateMessageBlocks, validateView, type Surface } from './block-kit.ts';
import { truthy } from './parse-request.ts';
import { USER_ID } from './slack-ids.ts';
import type { TriggerContext, TriggerRegistry } from './trigger-ids.ts';
import type { EphemeralMessage, JsonObject, SlackUser, StoredMessage, StoredView } from './types.ts';

export type ApiResult = { status?: number; body: JsonObject };

export type WorkspaceConfig = {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  users: readonly SlackUser[];
  usergroups: Readonly<Record<string, readonly string[]>>;
  /** When set, only these C/G channel ids exist; otherwise any C…/G… id is accepted. */
  channels: readonly string[] | undefined;
  /** Unknown user ids are rejected (channel_not_found, user_not_found) when true. */
  strictUsers: boolean;
  blocksTextLimit: number;
  now: () => number;
  triggers: TriggerRegistry;
};

const RESPONSE_URL_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
const MAX_VIEW_STACK = 3;

type ResponseUrl = { userId: string; channelId: string; messageTs?: string; ephemeralTs?: string; createdAt: number; uses: number };

const ok = (extra: JsonObject = {}): ApiResult => ({ body: { ok: true, ...extra } });
const fail = (error: string, extra: JsonObject = {}): ApiResult => ({ body: { ok: false, error, ...extra } });
const missing = (field: string): ApiResult =>
  fail('invalid_arguments', { response_metadata: { messages: [`[ERROR] missing required field: ${field}`] } });

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function createWorkspace(cfg: WorkspaceConfig) {
  const users = new Map<string, SlackUser>(cfg.users.map((u) => [u.id, u]));
  const usergroups = new Map<string, readonly string[]>(Object.entries(cfg.usergroups));
  const channels = new Map<string, StoredMessage[]>();
  let ephemerals: EphemeralMessage[] = [];
  const dmByUser = new Map<string, string>();
  const userByDm = new Map<string, string>();
  const views = new Map<string, StoredView>();
  const stacks = new Map<string, string[]>(); // root view id → stack, bottom first
  const homeViews = new Map<string, StoredView>();
  const responseUrls = new Map<string, ResponseUrl>();
  let tsSeq = 0;
  let idSeq = 0;

  const nextTs = (): string => {
    tsSeq += 1;
    return `${Math.floor(cfg.now() / 1000)}.${String(tsSeq).padStart(6, '0')}`;
  };
  const nextId = (prefix: string): string => {
    idSeq += 1;
    return `${prefix}0${String(idSeq).padStart(8, '0')}`;
  };
  const newHash = (): string => `${Math.floor(cfg.now() / 1000)}.${Math.random().toString(16).slice(2, 10)}`;

  function knownUser(id: string): SlackUser | undefined {
    const u = users.get(id);
    if (u) return u;
    return cfg.strictUsers ? undefined : { id, name: id.toLowerCase() };
  }

  function openDm(userId: string): { id: string; created: boolean } {
    const existing = dmByUser.get(userId);
    if (existing) return { id: existing, created: false };
    const id = nextId('D');
    dmByUser.set(userId, id);
    userByDm.set(id, userId);
    channels.set(id, []);
    return { id, created: true };
  }

  /** Resolves a `channel` argument for posting; U/W ids open the DM as Slack does. */
  function resolvePostChannel(channel: string): { channel: string } | { error: string } {
    if (USER_ID.test(channel)) {
      const u = knownUser(channel);
      if (!u) return { error: 'channel_not_found' };
      if (u.is_bot) return { error: 'cannot_dm_bot' };
      if (u.deleted) return { error: 'user_disabled' };
      return { channel: openDm(channel).id };
    }
    if (/^D[A-Z0-9]+$/.test(channel)) return userByDm.has(channel) ? { channel } : { error: 'channel_not_found' };
    if (/^[CG][A-Z0-9]+$/.test(channel)) {
      if (cfg.channels && !cfg.channels.includes(channel)) return { error: 'channel_not_found' };
      if (!channels.has(channel)) channels.set(channel, []);
      return { channel };
    }
    return { error: 'channel_not_found' };
  }

  /** Checks text/blocks/metadata of a message body; undefined when acceptable. */
  function checkMessageContent(args: JsonObject, requireContent: boolean): ApiResult | undefined {
    const text = args['text'];
    const blocks = args['blocks'];
    const attachments = args['attachments'];
    if (requireContent && str(text) === undefined && blocks === undefined && attachments === undefined) return fail('no_text');
    if (text !== undefined && typeof text !== 'string') return missing('text');
    if (typeof text === 'string' && [...text].length > 40_000) return fail('msg_too_long');
    if (blocks !== undefined) {
      const errors = validateMessageBlocks(blocks);
      if (errors.length > 0) return fail('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
      if (blocksTextLength(blocks) > cfg.blocksTextLimit) return fail('msg_blocks_too_long');
    }
    if (attachments !== undefined && !Array.isArray(attachments)) return fail('invalid_attachments');
    const metadata = args['metadata'];
    if (metadata !== undefined) {
      const m = metadata as JsonObject | null;
      if (m === null || typeof m !== 'object' || typeof m['event_type'] !== 'string' || (m['event_payload'] !== undefined && (typeof m['event_payload'] !== 'object' || m['event_payload'] === null))) {
        return fail('invalid_metadata_format');
      }
    }
    return undefined;
  }

  const CONTENT_FIELDS = ['text', 'blocks', 'attachments', 'metadata', 'thread_ts'] as const;
  const IGNORED_OPTIONS = new Set(['channel', 'team_id', ...CONTENT_FIELDS]);

  function storeMessage(channel: string, args: JsonObject, via: StoredMessage['via']): StoredMessage {
    const options: JsonObject = {};
    for (const [k, v] of Object.entries(args)) if (!IGNORED_OPTIONS.has(k)) options[k] = v;
    const msg: StoredMessage = { channel, ts: nextTs(), type: 'message', user: cfg.botUserId, bot_id: cfg.botId, via, options };
    if (typeof args['text'] === 'string') msg.text = args['text'];
    if (Array.isArray(args['blocks'])) msg.blocks = args['blocks'];
    if (Array.isArray(args['attachments'])) msg.attachments = args['attachments'];
    if (args['metadata'] !== undefined) msg.metadata = args['metadata'];
    if (typeof args['thread_ts'] === 'string') msg.thread_ts = args['thread_ts'];
    channels.get(channel)!.push(msg);
    return msg;
  }

  function findMessage(channel: string, ts: string): StoredMessage | undefined {
    return channels.get(channel)?.find((m) => m.ts === ts);
  }

  function publicMessage(m: StoredMessage): JsonObject {
    const { channel: _c, via: _v, options: _o, ...rest } = m;
    return { ...rest, team: cfg.teamId, app_id: cfg.appId };
  }

  function publicView(v: StoredView): JsonObject {
    const { user_id: _u, ...rest } = v;
    return rest;
  }

  function makeView(input: JsonObject, userId: string, root: string | undefined, previous: string | null): StoredView {
    const id = nextId('V');
    const v: StoredView = {
      ...input,
      id,
      type: input['type'] as 'modal' | 'home',
      hash: newHash(),
      root_view_id: root ?? id,
      previous_view_id: previous,
      callback_id: typeof input['callback_id'] === 'string' ? input['callback_id'] : '',
      private_metadata: typeof input['private_metadata'] === 'string' ? input['private_metadata'] : '',
      external_id: typeof input['external_id'] === 'string' ? input['external_id'] : '',
      blocks: Array.isArray(input['blocks']) ? input['blocks'] : [],
      state: { values: {} },
      team_id: cfg.teamId,
      app_id: cfg.appId,
      bot_id: cfg.botId,
      user_id: userId,
    };
    views.set(id, v);
    return v;
  }

  function checkViewArg(view: unknown, expected: Surface): ApiResult | undefined {
    const r = validateView(view, expected);
    if (r.kind === 'view_too_large') return fail('view_too_large');
    if (r.kind === 'invalid_arguments') {
      return fail('invalid_arguments', { errors: r.messages, response_metadata: { messages: r.messages.map((m) => `[ERROR] ${m}`) } });
    }
    return undefined;
  }

  function externalIdTaken(externalId: unknown, exceptId?: string): boolean {
    if (typeof externalId !== 'string' || externalId === '') return false;
    for (const v of [...views.values(), ...homeViews.values()]) if (v.external_id === externalId && v.id !== exceptId) return true;
    return false;
  }

  /** views.open and views.push: checks the arguments, then spends the trigger only if they are all valid. */
  function checkModalAndExchange(args: JsonObject): { error: ApiResult } | { view: JsonObject; trigger: TriggerContext } {
    if (args['trigger_id'] === undefined) return { error: missing('trigger_id') };
    if (args['view'] === undefined) return { error: missing('view') };
    const bad = checkViewArg(args['view'], 'modal');
    if (bad) return { error: bad };
    const view = args['view'] as JsonObject;
    if (externalIdTaken(view['external_id'])) return { error: fail('duplicate_external_id') };
    const t = cfg.triggers.exchange(args['trigger_id']);
    if (!t.ok) return { error: fail(t.error) };
    return { view, trigger: t.trigger };
  }

  function stackOf(viewId: string): string[] | undefined {
    const v = views.get(viewId);
    return v ? stacks.get(v.root_view_id) : undefined;
  }

  /** Replaces a view's content in place (views.update, response_action update). */
  function replaceView(existing: StoredView, input: JsonObject): StoredView {
    const keepIds = new Set<string>();
    for (const b of Array.isArray(input['blocks']) ? input['blocks'] : []) {
      const bo = b as JsonObject;
      const el = bo['element'] as JsonObject | undefined;
      if (typeof bo['block_id'] === 'string' && el && typeof el['action_id'] === 'string') keepIds.add(`${bo['block_id']}\u0000${el['action_id']}`);
    }
    const values: JsonObject = {};
    for (const [blockId, actions] of Object.entries(existing.state.values)) {
      for (const [actionId, val] of Object.entries(actions as JsonObject)) {
        if (keepIds.has(`${blockId}\u0000${actionId}`)) {
          values[blockId] ??= {};
          (values[blockId] as JsonObject)[actionId] = val;
        }
      }
    }
    const next: StoredView = {
      ...input,
      id: existing.id,
      type: existing.type,
      hash: newHash(),
      root_view_id: existing.root_view_id,
      previous_view_id: existing.previous_view_id,
      callback_id: typeof input['callback_id'] === 'string' ? input['callback_id'] : '',
      private_metadata: typeof input['private_metadata'] === 'string' ? input['private_metadata'] : '',
      external_id: typeof input['external_id'] === 'string' ? input['external_id'] : '',
      blocks: Array.isArray(input['blocks']) ? input['blocks'] : [],
      state: { values },
      team_id: cfg.teamId,
      app_id: cfg.appId,
      bot_id: cfg.botId,
      user_id: existing.user_id,
    };
    if (existing.type === 'home') homeViews.set(existing.user_id, next);
    else views.set(existing.id, next);
    return next;
  }

  function pushView(rootId: string, input: JsonObject, userId: string): ApiResult {
    const stack = stacks.get(rootId);
    if (!stack) return fail('not_found');
    if (stack.length >= MAX_VIEW_STACK) return fail('push_limit_reached');
    const v = makeView(input, userId, rootId, stack[stack.length - 1] ?? null);
    stack.push(v.id);
    return ok({ view: publicView(v) });
  }

  function closeStack(rootId: string): void {
    for (const id of stacks.get(rootId) ?? []) views.delete(id);
    stacks.delete(rootId);
  }

  const methods: Record<string, (args: JsonObject) => ApiResult> = {
    'api.test': (args) => ok({ args }),

    'auth.test': () =>
      ok({
        url: `https://${cfg.teamDomain}.slack.com/`,
        team: cfg.teamDomain,
        user: 'apikey-bot',
        team_id: cfg.teamId,
        user_id: cfg.botUserId,
        bot_id: cfg.botId,
        is_enterprise_install: false,
      }),

    'chat.postMessage': (args) => {
      const channel = str(args['channel']);
      if (!channel) return missing('channel');
      const bad = checkMessageContent(args, true);
      if (bad) return bad;
      const target = resolvePostChannel(channel);
      if ('error' in target) return fail(target.error);
      const thread = args['thread_ts'];
      if (typeof thread === 'string' && !findMessage(target.channel, thread)) return fail('thread_not_found');
      const msg = storeMessage(target.channel, args, 'chat.postMessage');
      return ok({ channel: target.channel, ts: msg.ts, message: publicMessage(msg) });
    },

    'chat.update': (args) => {
      const channel = str(args['channel']);
      const ts = str(args['ts']);
      if (!channel) return missing('channel');
      if (!ts) return missing('ts');
      const bad = checkMessageContent(args, false);
      if (bad) return bad;
      // chat.update needs the conversation id; a user id is not a conversation
      // (https://api.slack.com/methods/chat.update).
      if (!channels.has(channel)) return fail('channel_not_found');
      const msg = findMessage(channel, ts);
      if (!msg) return fail('message_not_found');
      if (msg.user !== cfg.botUserId) return fail('cant_update_message');
      // Omitted fields keep their previous value, as chat.update documents for blocks/attachments.
      if (typeof args['text'] === 'string') msg.text = args['text'];
      if (Array.isArray(args['blocks'])) msg.blocks = args['blocks'];
      if (Array.isArray(args['attachments'])) msg.attachments = args['attachments'];
      if (args['metadata'] !== undefined) msg.metadata = args['metadata'];
      msg.edited = { user: cfg.botUserId, ts: nextTs() };
      return ok({ channel, ts, text: msg.text ?? '', message: publicMessage(msg) });
    },

    'chat.delete': (args) => {
      const channel = str(args['channel']);
      const ts = str(args['ts']);
      if (!channel) return missing('channel');
      if (!ts) return missing('ts');
      const list = channels.get(channel);
      if (!list) return fail('channel_not_found');
      const i = list.findIndex((m) => m.ts === ts);
      if (i < 0) return fail('message_not_found');
      list.splice(i, 1);
      return ok({ channel, ts });
    },

    'chat.getPermalink': (args) => {
      const channel = str(args['channel']);
      const ts = str(args['message_ts']);
      if (!channel) return missing('channel');
      if (!ts) return missing('message_ts');
      if (!channels.has(channel)) return fail('channel_not_found');
      if (!findMessage(channel, ts)) return fail('message_not_found');
      return ok({ channel, permalink: `https://${cfg.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}` });
    },

    'chat.postEphemeral': (args) => {
      const channel = str(args['channel']);
      const user = str(args['user']);
      if (!channel) return missing('channel');
      if (!user) return missing('user');
      const bad = checkMessageContent(args, true);
      if (bad) return bad;
      if (!knownUser(user)) return fail('user_not_found');
      const target = resolvePostChannel(channel);
      if ('error' in target) return fail(target.error);
      const e: EphemeralMessage = { channel: target.channel, user, message_ts: nextTs(), via: 'chat.postEphemeral' };
      if (typeof args['text'] === 'string') e.text = args['text'];
      if (Array.isArray(args['blocks'])) e.blocks = args['blocks'];
      ephemerals.push(e);
      return ok({ message_ts: e.message_ts });
    },

    'conversations.open': (args) => {
      const channel = str(args['channel']);
      if (channel) {
        if (!userByDm.has(channel)) return fail('channel_not_found');
        return ok({ channel: { id: channel }, no_op: true, already_open: true });
      }
      const list = (str(args['users']) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (list.length === 0) return fail('users_list_not_supplied');
      if (list.length > 1) return fail('not_supported', { detail: 'the stand-in opens 1:1 DMs only' });
      const userId = list[0]!;
      const u = knownUser(userId);
      if (!u) return fail('user_not_found');
      if (u.is_bot) return fail('cannot_dm_bot');
      if (u.deleted) return fail('user_disabled');
      if (truthy(args['prevent_creation']) && !dmByUser.has(userId)) return ok({ channel: {}, no_op: true, already_open: false });
      const dm = openDm(userId);
      return ok({ channel: { id: dm.id }, no_op: !dm.created, already_open: !dm.created });
    },

    'conversations.history': (args) => {
      const channel = str(args['channel']);
      if (!channel) return missing('channel');
      const list = channels.get(channel);
      if (!list) return fail('channel_not_found');
      return ok({ messages: [...list].reverse().map(publicMessage), has_more: false });
    },

    'views.open': (args) => {
      const t = checkModalAndExchange(args);
      if ('error' in t) return t.error;
      const v = makeView(t.view, t.trigger.userId, undefined, null);
      stacks.set(v.id, [v.id]);
      return ok({ view: publicView(v) });
    },

    'views.push': (args) => {
      const t = checkModalAndExchange(args);
      if ('error' in t) return t.error;
      // A push needs a trigger from an interaction inside an open modal.
      const from = t.trigger.viewId !== undefined ? views.get(t.trigger.viewId) : undefined;
      if (!from || !stacks.has(from.root_view_id)) return fail('invalid_trigger_id');
      return pushView(from.root_view_id, t.view, t.trigger.userId);
    },

    'views.update': (args) => {
      const viewId = str(args['view_id']);
      const externalId = str(args['external_id']);
      if (!viewId && !externalId) return missing('view_id');
      if (args['view'] === undefined) return missing('view');
      let existing: StoredView | undefined;
      for (const v of [...views.values(), ...homeViews.values()]) {
        if ((viewId && v.id === viewId) || (!viewId && externalId && v.external_id === externalId)) existing = v;
      }
      if (!existing) return fail('not_found');
      const bad = checkViewArg(args['view'], existing.type);
      if (bad) return bad;
      const hash = str(args['hash']);
      if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
      if (externalIdTaken((args['view'] as JsonObject)['external_id'], existing.id)) return fail('duplicate_external_id');
      return ok({ view: publicView(replaceView(existing, args['view'] as JsonObject)) });
    },

    'views.publish': (args) => {
      const userId = str(args['user_id']);
      if (!userId) return missing('user_id');
      if (args['view'] === undefined) return missing('view');
      const bad = checkViewArg(args['view'], 'home');
      if (bad) return bad;
      if (!knownUser(userId)) return fail('user_not_found');
      const existing = homeViews.get(userId);
      const hash = str(args['hash']);
      if (hash !== undefined && existing && hash !== existing.hash) return fail('hash_conflict');
      if (existing) return ok({ view: publicView(replaceView(existing, args['view'] as JsonObject)) });
      const v = makeView(args['view'] as JsonObject, userId, undefined, null);
      views.delete(v.id);
      homeViews.set(userId, v);
      return ok({ view: publicView(v) });
    },

    'users.info': (args) => {
      const id = str(args['user']);
      if (!id) return missing('user');
      const u = users.get(id);
      if (!u) return fail('user_not_found');
      return ok({ user: { team_id: cfg.teamId, name: u.id.toLowerCase(), deleted: false, is_bot: false, ...u } });
    },

    'usergroups.users.list': (args) => {
      const id = str(args['usergroup']);
      if (!id) return missing('usergroup');
      const members = usergroups.get(id);
      if (!members) return fail('no_such_subteam');
      return ok({ users: [...members] });
    },
  };

  return {
    methods,

    createResponseUrlId(ctx: { userId: string; channelId: string; messageTs?: string; ephemeralTs?: string }): string {
      const id = `${cfg.teamId}-${nextId('R').slice(1)}-${Math.random().toString(36).slice(2, 10)}`;
      const r: ResponseUrl = { userId: ctx.userId, channelId: ctx.channelId, createdAt: cfg.now(), uses: 0 };
      if (ctx.messageTs !== undefined) r.messageTs = ctx.messageTs;
      if (ctx.ephemeralTs !== undefined) r.ephemeralTs = ctx.ephemeralTs;
      responseUrls.set(id, r);
      return id;
    },

    /** A POST to a response_url (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses): 5 uses within 30 minutes; replace/delete act on the source message. */
    respond(id: string, body: JsonObject): ApiResult {
      const r = responseUrls.get(id);
      if (!r) return { status: 404, body: { ok: false, error: 'invalid_url' } };
      if (cfg.now() - r.createdAt > RESPONSE_URL_TTL_MS) return { status: 404, body: { ok: false, error: 'expired_url' } };
      if (r.uses >= RESPONSE_URL_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
      const eph = r.ephemeralTs !== undefined ? ephemerals.find((e) => e.message_ts === r.ephemeralTs && e.user === r.userId) : undefined;
      if (truthy(body['delete_original']) && r.ephemeralTs !== undefined) {
        if (!eph) return { status: 404, body: { ok: false, error: 'message_not_found' } };
        r.uses += 1;
        ephemerals = ephemerals.filter((e) => e !== eph);
        return ok();
      }
      if (truthy(body['delete_original'])) {
        const list = r.messageTs !== undefined ? channels.get(r.channelId) : undefined;
        const i = list?.findIndex((m) => m.ts === r.messageTs) ?? -1;
        if (!list || i < 0) return { status: 404, body: { ok: false, error: 'message_not_found' } };
        r.uses += 1;
        list.splice(i, 1);
        return ok();
      }
      const bad = checkMessageContent(body, true);
      if (bad) return { status: 400, body: bad.body };
      r.uses += 1;
      if (truthy(body['replace_original']) && r.ephemeralTs !== undefined) {
        if (!eph) return { status: 404, body: { ok: false, error: 'message_not_found' } };
        if (typeof body['text'] === 'string') eph.text = body['text'];
        else delete eph.text;
        if (Array.isArray(body['blocks'])) eph.blocks = body['blocks'];
        else delete eph.blocks;
        return ok();
      }
      if (truthy(body['replace_original']) && r.messageTs !== undefined) {
        const msg = findMessage(r.channelId, r.messageTs);
        if (!msg) return { status: 404, body: { ok: false, error: 'message_not_found' } };
        // replace_original replaces the whole message, unlike chat.update.
        if (typeof body['text'] === 'string') msg.text = body['text'];
        else delete msg.text;
        if (Array.isArray(body['blocks'])) msg.blocks = body['blocks'];
        else delete msg.blocks;
        if (Array.isArray(body['attachments'])) msg.attachments = body['attachments'];
        else delete msg.attachments;
        msg.edited = { user: cfg.botUserId, ts: nextTs() };
        return ok();
      }
      if (body['response_type'] === 'in_channel') {
        if (!channels.has(r.channelId)) channels.set(r.channelId, []);
        storeMessage(r.channelId, body, 'response_url');
        return ok();
      }
      const e: EphemeralMessage = { channel: r.channelId, user: r.userId, message_ts: nextTs(), via: 'response_url' };
      if (typeof body['text'] === 'string') e.text = body['text'];
      if (Array.isArray(body['blocks'])) e.blocks = body['blocks'];
      ephemerals.push(e);
      return ok();
    },

    /**
     * What the user sees from a slash command's ack body (the 3-second acknowledgement): text or JSON, ephemeral unless
     * `response_type: in_channel`. Returns problems Slack would show instead of the message.
     */
    recordCommandAck(userId: string, channelId: string, ack: unknown): string[] {
      let body: JsonObject;
      if (typeof ack === 'string') {
        if (ack === '') return [];
        body = { text: ack };
      } else if (ack && typeof ack === 'object' && !Array.isArray(ack)) body = ack as JsonObject;
      else return ['ack body is neither text nor a JSON object'];
      if (body['text'] === undefined && body['blocks'] === undefined && body['attachments'] === undefined) return [];
      const bad = checkMessageContent(body, true);
      if (bad) return (bad.body['errors'] as string[] | undefined) ?? [String(bad.body['error'])];
      if (body['response_type'] === 'in_channel') {
        if (!channels.has(channelId)) channels.set(channelId, []);
        storeMessage(channelId, body, 'command_ack');
        return [];
      }
      const e: EphemeralMessage = { channel: channelId, user: userId, message_ts: nextTs(), via: 'command_ack' };
      if (typeof body['text'] === 'string') e.text = body['text'];
      if (Array.isArray(body['blocks'])) e.blocks = body['blocks'];
      ephemerals.push(e);
      return [];
    },

    /** Applies a view_submission ack to the view stack as Slack's client would. Returns problems, if any. */
    applySubmissionAck(viewId: string, ack: unknown): string[] {
      const stack = stackOf(viewId);
      const view = views.get(viewId);
      if (!stack || !view) return [`view ${viewId} is not open`];
      const a = ack as JsonObject | undefined;
      const action = a && typeof a === 'object' ? a['response_action'] : undefined;
      if (action === undefined) {
        const i = stack.indexOf(viewId);
        for (const id of stack.splice(i)) views.delete(id);
        if (stack.length === 0) stacks.delete(view.root_view_id);
        return [];
      }
      if (action === 'errors') return [];
      if (action === 'clear') {
        closeStack(view.root_view_id);
        return [];
      }
      if (action === 'update' || action === 'push') {
        const bad = checkViewArg(a!['view'], 'modal');
        if (bad) return (bad.body['errors'] as string[] | undefined) ?? [String(bad.body['error'])];
        if (action === 'update') {
          replaceView(view, a!['view'] as JsonObject);
          return [];
        }
        const r = pushView(view.root_view_id, a!['view'] as JsonObject, view.user_id);
        return r.body['ok'] === true ? [] : [String(r.body['error'])];
      }
      return [`unknown response_action: ${String(action)}`];
    },

    /** Records typed-in values on an open view (what the user sees before submitting). */
    setViewState(viewId: string, values: JsonObject): void {
      const v = views.get(viewId);
      if (v) v.state = { values };
    },

    viewById(id: string): StoredView | undefined {
      return views.get(id) ?? [...homeViews.values()].find((v) => v.id === id);
    },
    openViews(userId?: string): StoredView[] {
      const out: StoredView[] = [];
      for (const stack of stacks.values()) for (const id of stack) {
        const v = views.get(id);
        if (v && (userId === undefined || v.user_id === userId)) out.push(v);
      }
      return out;
    },
    homeView(userId: string): StoredView | undefined {
      return homeViews.get(userId);
    },
    messages(channel?: string): StoredMessage[] {
      if (channel !== undefined) return [...(channels.get(channel) ?? [])];
      return [...channels.values()].flat().sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    },
    ephemerals(user?: string): EphemeralMessage[] {
      return ephemerals.filter((e) => user === undefined || e.user === user);
    },
    dmChannel(userId: string): string | undefined {
      return dmByUser.get(userId);
    },
    setUser(u: SlackUser): void {
      users.set(u.id, u);
    },
    setUsergroup(id: string, members: readonly string[]): void {
      usergroups.set(id, [...members]);
    },
    reset(): void {
      channels.clear();
      ephemerals = [];
      dmByUser.clear();
      userByDm.clear();
      views.clear();
      stacks.clear();
      homeViews.clear();
      responseUrls.clear();
    },
  };
}
export type Workspace = ReturnType<typeof createWorkspace>;
