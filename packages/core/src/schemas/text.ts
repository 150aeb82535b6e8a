// Text rules shared by every user-supplied string that NCP stores: lengths are counted in Unicode code
// points (a Hangul syllable or an emoji is one character, as a person counts them), and control
// characters are refused because they corrupt terminals, Slack messages and logs downstream.

export const API_KEY_NAME_MAX = 20;
export const API_KEY_DESCRIPTION_MAX = 50;

export function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low surrogate is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** C0 controls, DEL and C1 controls. */
export function isControlCodePoint(cp: number): boolean {
  return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
}

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character problem in `s` (control character or unpaired surrogate), as a message, or undefined. */
export function findCharacterProblem(s: string, label: string): string | undefined {
  let position = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    position++;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return `${label} contains an invalid character (unpaired surrogate ${hex(c)}) at position ${position}`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      return `${label} contains an invalid character (unpaired surrogate ${hex(c)}) at position ${position}`;
    }
    if (isControlCodePoint(c)) {
      return `${label} must not contain control characters (found ${hex(c)} at position ${position})`;
    }
  }
  return undefined;
}

export type TextRule = { label: string; min: number; max: number };

/** Validates an already-trimmed string against a rule; returns the first problem as a message. */
export function checkText(s: string, rule: TextRule): string | undefined {
  const length = countCodePoints(s);
  if (length < rule.min) {
    return rule.min === 1 ? `${rule.label} is required (1–${rule.max} characters)` : `${rule.label} must be at least ${rule.min} characters`;
  }
  if (length > rule.max) return `${rule.label} must be at most ${rule.max} characters (got ${length})`;
  return findCharacterProblem(s, rule.label);
}

export const NAME_RULE: TextRule = { label: 'Name', min: 1, max: API_KEY_NAME_MAX };
export const DESCRIPTION_RULE: TextRule = { label: 'Description', min: 0, max: API_KEY_DESCRIPTION_MAX };

/** Message for live UI validation (wizard counter, Slack modal), or undefined when the name is valid. */
export function validateApiKeyName(raw: string): string | undefined {
  return checkText(raw.trim(), NAME_RULE);
}

export function validateApiKeyDescription(raw: string): string | undefined {
  return checkText(raw.trim(), DESCRIPTION_RULE);
}
