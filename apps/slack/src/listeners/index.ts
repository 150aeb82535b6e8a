// Registers every listener on the Bolt app, in one place, with the catch-all last. Each listener module has one
// shape: an exported `createXHandler(ctx)` returning the Bolt listener (testable with a fake ack/client/respond,
// no Bolt app needed) and a `register(app, ctx)` that only wires that handler to its command, action or view.
import type { BoltApp } from '../bolt.ts';
import type { WorkflowContext } from '../workflow/context.ts';
import * as decisionButtons from './actions/decision-buttons.ts';
import * as offboarding from './actions/offboarding.ts';
import * as revoke from './actions/revoke.ts';
import * as retry from './actions/retry.ts';
import * as reveal from './actions/reveal.ts';
import * as revealRotated from './actions/reveal-rotated.ts';
import * as rotate from './actions/rotate.ts';
import * as unhandled from './actions/unhandled.ts';
import * as apikeyCommand from './commands/apikey.ts';
import * as appHome from './events/app-home.ts';
import * as userChange from './events/user-change.ts';
import * as productSuggestions from './options/product-suggestions.ts';
import * as createRequest from './views/create-request.ts';
import * as decideRequest from './views/decide-request.ts';
import * as revokeKey from './views/revoke-key.ts';

export function registerListeners(app: BoltApp, ctx: WorkflowContext): void {
  apikeyCommand.register(app, ctx);
  createRequest.register(app, ctx);
  productSuggestions.register(app, ctx);
  decideRequest.register(app, ctx);
  decisionButtons.register(app, ctx);
  retry.register(app, ctx);
  reveal.register(app, ctx);
  rotate.register(app, ctx);
  revealRotated.register(app, ctx);
  appHome.register(app, ctx);
  revoke.register(app, ctx);
  revokeKey.register(app, ctx);
  userChange.register(app, ctx);
  offboarding.register(app, ctx);
  unhandled.register(app, ctx);
}
