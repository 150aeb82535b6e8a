// The listener table as Bolt sees it: every block action another listener handles is left alone by the
// catch-all (Bolt runs every matching listener, and a second ack of one action throws), and no action id is
// wired twice. Uses a recording stand-in for the Bolt app, so it needs no server.
import { describe, expect, it } from 'vitest';
import type { BoltApp } from '../src/bolt.ts';
import { UNHANDLED } from '../src/listeners/actions/unhandled.ts';
import { registerListeners } from '../src/listeners/index.ts';
import type { WorkflowContext } from '../src/workflow/context.ts';

function recordActions(): { actions: unknown[]; app: BoltApp } {
  const actions: unknown[] = [];
  const ignore = () => {};
  const app = {
    action: (id: unknown) => { actions.push(id); },
    command: ignore, view: ignore, options: ignore, event: ignore, shortcut: ignore, message: ignore,
  } as unknown as BoltApp;
  return { actions, app };
}

describe('listener wiring', () => {
  const { actions, app } = recordActions();
  registerListeners(app, {} as WorkflowContext);
  const named = actions.filter((a): a is string => typeof a === 'string');

  it('registers the key-lifecycle buttons along with the request ones', () => {
    expect(named).toEqual(expect.arrayContaining(['approve', 'deny', 'rotate', 'rotate_primary', 'revoke', 'offboarding_transfer', 'offboarding_disable']));
  });

  it('leaves every handled action id out of the catch-all, which still takes unknown ones', () => {
    expect(named.filter((id) => UNHANDLED.test(id))).toEqual([]);
    expect(UNHANDLED.test('some_future_button')).toBe(true);
    expect(actions.at(-1)).toBe(UNHANDLED);
  });

  it('wires no action id twice', () => {
    expect(new Set(named).size).toBe(named.length);
  });
});
