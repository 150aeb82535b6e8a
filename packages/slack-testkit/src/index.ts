// @apikey/slack-testkit: a local Slack Web API stand-in and a driver that sends Slack-signed requests to a Bolt app.
export { startSlackStandIn } from './stand-in.ts';
export type { SlackStandIn, SlackStandInOptions, CallListener } from './stand-in.ts';
export { createSlackDriver, FORM_CONTENT_TYPE } from './driver.ts';
export type { SlackDriver, SlackDriverOptions, DriverResponse, RawRequest, MessageRef } from './driver.ts';
export { signSlackRequest } from './sign.ts';
export { buildViewStateValues } from './view-state.ts';
export type { InputValue } from './view-state.ts';
export { validateMessageBlocks, validateOptionsResponse, validateView, LIMITS } from './block-kit.ts';
export { TRIGGER_TTL_MS } from './trigger-ids.ts';
export type { FailOptions, RateLimitOptions } from './faults.ts';
export type { RecordedCall, StoredMessage, StoredView, EphemeralMessage, SlackUser, TokenStatus, JsonObject } from './types.ts';
