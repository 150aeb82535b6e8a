// view_submission of the request modal (apikey_create): validated with core's schemas, problems returned as
// response_action "errors" keyed by block id (nothing stored, nothing sent); otherwise the request is stored
// as pending with the approval message and the requester's pending DM queued, and the modal closes.
import { apiKeyDescriptionSchema, apiKeyNameSchema, countCodePoints, validateApiKeyDescription, validateApiKeyName } from '@apikey/core';
import type { BoltApp } from '../../bolt.ts';
import { enqueueApprovalMessage, enqueueNotify, type WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import { CREATE_CALLBACK_ID, JUSTIFICATION_MAX } from '../../views/request-modal.ts';

export type StateValues = Record<string, Record<string, { value?: string | null }>>;

export function inputValue(values: StateValues, blockId: string): string {
  return values[blockId]?.value?.value ?? '';
}

// Newlines and tabs are fine in a multi-line justification; other control characters are not.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export function validateFreeText(raw: string, max: number, what: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0) return `Please enter ${what}.`;
  if (countCodePoints(text) > max) return `Keep it to ${max} characters (now ${countCodePoints(text)}).`;
  if (CONTROL.test(text)) return 'Remove the control characters.';
  return undefined;
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.view(CREATE_CALLBACK_ID, async ({ ack, body, view }) => {
    const values = view.state.values as StateValues;
    const rawName = inputValue(values, 'name');
    const rawDescription = inputValue(values, 'description');
    const rawJustification = inputValue(values, 'justification');

    const errors: Record<string, string> = {};
    const nameError = validateApiKeyName(rawName);
    if (nameError !== undefined) errors.name = nameError;
    const descriptionError = validateApiKeyDescription(rawDescription);
    if (descriptionError !== undefined) errors.description = descriptionError;
    const justificationError = validateFreeText(rawJustification, JUSTIFICATION_MAX, 'why you need the key');
    if (justificationError !== undefined) errors.justification = justificationError;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }

    const now = ctx.now();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    try {
      const request = await ctx.store.createRequest({
        teamId,
        requesterId: body.user.id,
        apiKeyName: apiKeyNameSchema.parse(rawName),
        apiKeyDescription: apiKeyDescriptionSchema.parse(rawDescription),
        justification: rawJustification.trim(),
        createdAt: now,
        expiresAt: now + ctx.config.requestTtlMs,
      }, body.user.id, [enqueueApprovalMessage(now), enqueueNotify('pending', now)]);
      ctx.logger.info(`request ${request.id} created by ${body.user.id}`);
    } catch (err) {
      ctx.logger.error(`could not store a request from ${body.user.id}: ${describeFailure(err).message}`);
      await ack({ response_action: 'errors', errors: { justification: 'Could not save your request right now. Please try again in a minute.' } });
      return;
    }
    await ack();
    ctx.wake();
  });
}
