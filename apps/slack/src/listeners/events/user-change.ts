// user_change (Events API, verified by Bolt like every request): a deactivated member (`user.deleted: true`)
// who holds keys is offboarded. Slack retries events and the periodic sweep may see the same departure; the
// store marks an owner's keys once, so any number of deliveries notify the approvers once.
import type { BoltApp } from '../../bolt.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { offboardOwner } from '../../workflow/offboarding.ts';

export async function handleUserChange(ctx: WorkflowContext, o: { teamId: string | undefined; user: { id?: unknown; deleted?: unknown; team_id?: unknown } }): Promise<void> {
  if (o.user.deleted !== true || typeof o.user.id !== 'string' || o.user.id === '') return;
  const teamId = o.teamId ?? (typeof o.user.team_id === 'string' ? o.user.team_id : undefined);
  if (teamId === undefined) return;
  await offboardOwner(ctx, teamId, o.user.id, 'event');
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.event('user_change', async ({ event, body }) => {
    await handleUserChange(ctx, { teamId: (body as { team_id?: string }).team_id, user: event.user as { id?: unknown; deleted?: unknown; team_id?: unknown } });
  });
}
