// Socket Mode (SLACK_APP_TOKEN set, Node only): the app dials the stand-in's WebSocket instead of serving
// /slack/events, and the same listeners handle /apikey create and the modal submission.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import { REQUESTER, startApp, startNcp, startStandIn, waitFor, type AppInstance, type Ncp } from './helpers/harness.ts';

let standIn: SlackStandIn;
let ncp: Ncp;
let app: AppInstance;

beforeAll(async () => {
  standIn = await startStandIn();
  ncp = await startNcp();
  app = await startApp({ standIn, ncp, env: { SLACK_APP_TOKEN: 'xapp-test-token', SLACK_SIGNING_SECRET: '' } });
  await standIn.socketMode.waitForConnection(10_000);
});
afterAll(async () => {
  await app?.stop();
  await standIn?.close();
  await ncp?.close();
});

describe('Socket Mode', () => {
  it('still serves /healthz, /readyz and /metrics over HTTP on PORT', async () => {
    const base = app.url.replace('/slack/events', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('apikey_requests{state="pending"}');
  });

  it('receives /apikey create over the socket, opens the modal, and stores the submitted request', async () => {
    const team = { id: standIn.teamId, domain: standIn.teamDomain };
    const ack = await standIn.socketMode.deliver('slash_commands', {
      command: '/apikey',
      text: 'create socket-key',
      user_id: REQUESTER,
      user_name: 'req',
      team_id: standIn.teamId,
      channel_id: 'C0TESTCHAN',
      api_app_id: standIn.appId,
      trigger_id: standIn.createTriggerId(REQUESTER),
      response_url: standIn.createResponseUrl({ userId: REQUESTER, channelId: 'C0TESTCHAN' }),
    });
    expect(ack).toBeDefined();
    const view = await waitFor('modal', () => standIn.views(REQUESTER).find((v) => v.callback_id === 'apikey_create'));
    const values = {
      name: { value: { type: 'plain_text_input', value: 'socket-key' } },
      description: { value: { type: 'plain_text_input', value: null } },
      justification: { value: { type: 'plain_text_input', value: 'over the socket' } },
    };
    const { user_id: _user, ...plainView } = view;
    await standIn.socketMode.deliver('interactive', {
      type: 'view_submission',
      team,
      user: { id: REQUESTER, username: 'req', team_id: standIn.teamId },
      api_app_id: standIn.appId,
      trigger_id: standIn.createTriggerId(REQUESTER, view.id),
      view: { ...plainView, state: { values } },
    });
    const [stored] = await waitFor('stored request', async () => {
      const list = await app.store.listByRequester(standIn.teamId, REQUESTER, 5);
      return list.length > 0 ? list : undefined;
    });
    expect(stored).toMatchObject({ apiKeyName: 'socket-key', state: 'pending', justification: 'over the socket' });
  });
});
