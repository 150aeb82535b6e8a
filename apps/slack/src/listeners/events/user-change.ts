// user_change (Events API, verified by Bolt like every request): a deactivated member (`user.deleted: true`)
// who holds keys is offboarded. Slack retries events and the periodic sweep may see the same departure; the
// store marks an owner's keys once, so any number of deliveries notify the approvers once.
import type { BoltApp, SlackEventMiddlewareArgs } from '../../bolt.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { offboardOwner } from '../../workflow/offboarding.ts';

export type UserChangeArgs = Pick<SlackEventMiddlewareArgs<'user_change'>, 'event' | 'body'>;

export function createUserChangeHandler(ctx: WorkflowContext): (args: UserChangeArgs) => Promise<void> {
  return async ({ event, body }) => {
    // Read defensively: the payload is Slack's full user object, and only these three fields matter.
    const user = (event.user ?? {}) as { id?: unknown; deleted?: unknown; team_id?: unknown };
    if (user.deleted !== true || typeof user.id !== 'string' || user.id === '') return;
    const teamId = (body as { team_id?: unknown }).team_id ?? user.team_id;
    if (typeof teamId !== 'string' || teamId === '') return;
    await offboardOwner(ctx, teamId, user.id, 'event');
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.event('user_change', createUserChangeHandler(ctx));
}
