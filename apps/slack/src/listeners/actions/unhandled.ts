// Acks any other block action (links, future buttons) so Slack never shows a timeout, and logs its id.
import type { BoltApp } from '../../bolt.ts';
import type { WorkflowContext } from '../../workflow/context.ts';

// Bolt runs every matching listener and a second ack throws, so this must not match the handled ids.
const UNHANDLED = /^(?!(approve|deny|retry|reveal)$).*/;

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action(UNHANDLED, async ({ ack, payload }) => {
    await ack();
    ctx.logger.debug(`ignored block action ${'action_id' in payload ? String(payload.action_id) : '?'}`);
  });
}
