// Owns the safe text-input reducer as a pure function (Ink hands input over in chunks, not keys): it survives chunked input
// (a pasted "name\r", a burst of DELs in one chunk), counts and deletes by code point, and drops control chars.

export type KeyLike = {
  return?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean; meta?: boolean; escape?: boolean; tab?: boolean;
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean; pageUp?: boolean; pageDown?: boolean;
  home?: boolean; end?: boolean;
};

export type FieldStep = {
  value: string;
  /** Enter was seen: submit `value`. */
  submit: boolean;
  /** Input that followed the Enter in the same chunk, for the next step to consume. */
  rest: string;
};

export const dropLastCodePoint = (s: string): string => Array.from(s).slice(0, -1).join('');

export function applyInput(value: string, input: string, key: KeyLike): FieldStep {
  if (key.return) return { value, submit: true, rest: '' };
  if (key.backspace || key.delete) return { value: dropLastCodePoint(value), submit: false, rest: '' };
  if (key.ctrl || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow
    || key.pageUp || key.pageDown || key.home || key.end) {
    return { value, submit: false, rest: '' };
  }
  let v = value;
  const chars = Array.from(input);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const cp = ch.codePointAt(0) as number;
    if (ch === '\u007f' || ch === '\b') v = dropLastCodePoint(v);
    else if (ch === '\r' || ch === '\n') return { value: v, submit: true, rest: chars.slice(i + 1).join('') };
    else if (cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f)) v += ch;
  }
  return { value: v, submit: false, rest: '' };
}
