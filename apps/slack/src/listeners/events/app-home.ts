// app_home_opened → views.publish the Home tab: pending requests for approvers, the viewer's keys (and, for
// approvers, keys needing attention), the viewer's own requests. Events are retried by Slack; publishing the
// same view twice is harmless, so no dedupe is needed.
import type { BoltApp, WebClient } from '../../bolt.ts';
import { ruleFor } from '../../policy.ts';
import type { KeyRequest } from '../../store/request-store.ts';
import { buildHomeView } from '../../views/home.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { loadKeyOverview, rotateAfterOf } from '../../workflow/key-overview.ts';

export async function handleAppHomeOpened(ctx: WorkflowContext, args: { teamId: string; userId: string; client: Pick<WebClient, 'views'> }): Promise<void> {
  const { teamId, userId } = args;
  const isApprover = await ctx.approvers.isApprover(userId).catch(() => false);
  const [pending, mine, overview] = await Promise.all([
    isApprover ? ctx.store.listByState(['pending'], 20) : Promise.resolve([]),
    ctx.store.listByRequester(teamId, userId, 20),
    loadKeyOverview(ctx, teamId, userId),
  ]);
  const now = ctx.now();
  // Only the requests this viewer may decide: a product's approvers replace the defaults' (group lookups are cached).
  const mayDecide = async (r: KeyRequest) =>
    r.expiresAt > now && await ctx.approvers.isApprover(userId, ruleFor(ctx.config.policy, r.productId).approvers).catch(() => false);
  const decidable = (await Promise.all(pending.map(async (r) => ((await mayDecide(r)) ? r : undefined)))).filter((r) => r !== undefined);
  await args.client.views.publish({
    user_id: userId,
    view: buildHomeView({ isApprover, pending: decidable, mine, keys: { overview, now, rotateAfterOf: rotateAfterOf(ctx) } }),
  });
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    await handleAppHomeOpened(ctx, { teamId: (body as { team_id?: string }).team_id ?? '', userId: event.user, client });
  });
}
