// The app manifests (HTTP: manifest.json; Socket Mode for local work: manifest.socket.json) ask for exactly the
// scopes the code uses, and declare the command, events and interactivity the listeners rely on.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;

// Web API method families the app may call, and the bot scope each needs (views.* and auth.test need none).
const SCOPE_FOR: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'usergroups.users.list': 'usergroups:read',
  'users.info': 'users:read',
  'conversations.open': 'im:write',
  'views.open': null,
  'views.update': null,
  'views.publish': null,
};

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts')) out.push(await readFile(path, 'utf8'));
  }
  return out;
}

describe.each(['manifest.json', 'manifest.socket.json'])('%s', (file) => {
  it('requests exactly the scopes of the Web API methods the source calls', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, file), 'utf8'));
    const code = (await sources(join(ROOT, 'src'))).join('\n');
    const used = Object.keys(SCOPE_FOR).filter((m) => new RegExp(`\\.${m.split('.').join('\\s*\\.')}\\(`).test(code));
    expect(used).toEqual(expect.arrayContaining(['chat.postMessage', 'chat.update', 'usergroups.users.list', 'users.info', 'views.open', 'views.publish']));
    const needed = new Set(['commands', ...used.map((m) => SCOPE_FOR[m]).filter((s): s is string => s !== null)]);
    expect(new Set(manifest.oauth_config.scopes.bot)).toEqual(needed);
  });

  it('declares /apikey, app_home_opened and user_change (offboarding), interactivity and the Home and Messages tabs', async () => {
    const m = JSON.parse(await readFile(join(ROOT, file), 'utf8'));
    expect(m.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/apikey']);
    expect(m.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'user_change']);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
  });

  it(file === 'manifest.json'
    ? 'sends the command, events, interactivity and the options load URL (product select) to /slack/events over HTTP'
    : 'turns Socket Mode on and carries no request URL (Slack ignores them there)', async () => {
    const m = JSON.parse(await readFile(join(ROOT, file), 'utf8'));
    const urls = [m.features.slash_commands[0].url, m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url, m.settings.interactivity.message_menu_options_url];
    if (file === 'manifest.json') {
      expect(m.settings.socket_mode_enabled).toBe(false);
      for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events');
    } else {
      expect(m.settings.socket_mode_enabled).toBe(true);
      expect(urls).toEqual([undefined, undefined, undefined, undefined]);
    }
  });
});

describe('the two manifests', () => {
  it('differ only in transport (URLs, Socket Mode) and the name shown in Slack', async () => {
    const strip = (m: Record<string, any>) => {
      const c = structuredClone(m);
      for (const cmd of c.features.slash_commands) delete cmd.url;
      delete c.settings.event_subscriptions.request_url;
      delete c.settings.interactivity.request_url;
      delete c.settings.interactivity.message_menu_options_url;
      delete c.settings.socket_mode_enabled;
      delete c.display_information.name;
      delete c.features.bot_user.display_name;
      return c;
    };
    const http = JSON.parse(await readFile(join(ROOT, 'manifest.json'), 'utf8'));
    const socket = JSON.parse(await readFile(join(ROOT, 'manifest.socket.json'), 'utf8'));
    expect(strip(socket)).toEqual(strip(http));
  });
});
