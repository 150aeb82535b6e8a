// app_home_opened → views.publish the Home tab: pending requests for approvers, the viewer's own for everyone.
// Events are retried by Slack; publishing the same view twice is harmless, so no dedupe is needed.
import type { AllMiddlewareArgs, BoltApp, SlackEventMiddlewareArgs } from '../../bolt.ts';
import { ruleFor } from '../../policy.ts';
import type { KeyRequest } from '../../store/request-store.ts';
import { buildHomeView } from '../../blocks/home.ts';
import type { WorkflowContext } from '../../workflow/context.ts';

export type AppHomeOpenedArgs = Pick<SlackEventMiddlewareArgs<'app_home_opened'>, 'event' | 'body'> & Pick<AllMiddlewareArgs, 'client'>;

export function createAppHomeOpenedHandler(ctx: WorkflowContext): (args: AppHomeOpenedArgs) => Promise<void> {
  return async ({ event, body, client }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const isApprover = await ctx.approvers.isApprover(event.user).catch(() => false);
    const [pending, mine] = await Promise.all([
      isApprover ? ctx.store.listByState(['pending'], 20) : Promise.resolve([]),
      ctx.store.listByRequester(teamId, event.user, 20),
    ]);
    const now = ctx.now();
    // Only the requests this viewer may decide: a product's approvers replace the defaults' (group lookups are cached).
    const mayDecide = async (r: KeyRequest) =>
      r.expiresAt > now && await ctx.approvers.isApprover(event.user, ruleFor(ctx.config.policy, r.productId).approvers).catch(() => false);
    const decidable = (await Promise.all(pending.map(async (r) => ((await mayDecide(r)) ? r : undefined)))).filter((r) => r !== undefined);
    await client.views.publish({
      user_id: event.user,
      view: buildHomeView({ isApprover, pending: decidable, mine }),
    });
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.event('app_home_opened', createAppHomeOpenedHandler(ctx));
}
