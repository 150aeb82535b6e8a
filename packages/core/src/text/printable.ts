// Text that came from NCP (names, descriptions, error messages) is shown to people in terminals and Slack.
// A stored escape sequence could move the cursor, recolour or rewrite a terminal screen, or break a Slack
// line; printing it must not run it. printable() keeps the readable text and shows each control
// character (C0, DEL, C1) and each unpaired surrogate visibly as \xNN or \uNNNN. Exact output (--json) does
// not go through here: JSON escapes control characters itself.

import { isControlCodePoint } from '../schemas/text.ts';

function escapeUnit(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with control characters and unpaired surrogates made visible; every other character unchanged. */
export function printable(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    if (isControlCodePoint(c) || (c >= 0xd800 && c <= 0xdfff)) out += escapeUnit(c);
    else out += s[i]!;
  }
  return out;
}
