// Reading a submitted modal back: the state values Slack returns for the inputs the builders in this folder
// make, and the check every free-text input gets. It lives beside the builders, not in a listener, because it
// depends on their conventions (each input's element has action_id 'value', keyed by its block id), and more
// than one view_submission listener (create-request, decide-request) reads forms built here.
import { countCodePoints } from '@apikey/core';

export type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

/** The text typed into the input of block `blockId`, '' when empty or absent. */
export function inputValue(values: StateValues, blockId: string): string {
  return values[blockId]?.value?.value ?? '';
}

/** The option value picked in a select (the product id for the product block), '' when none. */
export function selectedValue(values: StateValues, blockId: string): string {
  return values[blockId]?.value?.selected_option?.value ?? '';
}

// Newlines and tabs are fine in a multi-line justification or reason; other control characters are not.
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** The message to show under a free-text input (required, at most `max` code points, no control characters), or undefined when it is fine. */
export function validateFreeText(raw: string, max: number, what: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0) return `Please enter ${what}.`;
  if (countCodePoints(text) > max) return `Keep it to ${max} characters (now ${countCodePoints(text)}).`;
  if (CONTROL.test(text)) return 'Remove the control characters.';
  return undefined;
}
