// Owns a text field's editing rules as pure functions of { value, cursor }: insert at the cursor (a pasted
// multi-character chunk too), Backspace/Delete at the cursor, ←/→ and Home/End, and the readline kills
// (Ctrl+U to the start, Ctrl+K to the end, Ctrl+W the word before the cursor). Positions count code points, so
// a Hangul syllable or an emoji is one step. Control characters never enter the value: a chunk may carry DEL or
// BS bytes (a burst of Backspace from a fast terminal) which act as Backspace, and CR/LF, which submit; every
// other control character is dropped.

export type KeyLike = {
  return?: boolean; backspace?: boolean; delete?: boolean; ctrl?: boolean; meta?: boolean; escape?: boolean; tab?: boolean;
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean; pageUp?: boolean; pageDown?: boolean;
  home?: boolean; end?: boolean;
};

/** `cursor` is a code-point index into `value`, 0 … length. */
export type FieldState = { readonly value: string; readonly cursor: number };

export type FieldStep = {
  state: FieldState;
  /** Enter was seen: submit `state.value`. */
  submit: boolean;
  /** Input that followed the Enter in the same chunk, for the next step to consume. */
  rest: string;
};

const chars = (s: string): string[] => Array.from(s);

/** A field holding `value` with the cursor at its end (or at `cursor`, clamped). */
export function fieldOf(value: string, cursor?: number): FieldState {
  const n = chars(value).length;
  return { value, cursor: Math.max(0, Math.min(n, cursor ?? n)) };
}

/** C0 controls, DEL and C1 controls. */
export const isControl = (cp: number): boolean => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);

const splice = (s: FieldState, from: number, to: number, insert: readonly string[] = []): FieldState => {
  const cs = chars(s.value);
  cs.splice(from, to - from, ...insert);
  return { value: cs.join(''), cursor: from + insert.length };
};

/** Inserts `text` at the cursor with its control characters dropped. */
export function insertText(s: FieldState, text: string): FieldState {
  const kept = chars(text).filter((c) => !isControl(c.codePointAt(0) as number));
  return kept.length === 0 ? s : splice(s, s.cursor, s.cursor, kept);
}

export const deleteBackward = (s: FieldState): FieldState => (s.cursor === 0 ? s : splice(s, s.cursor - 1, s.cursor));

export const deleteForward = (s: FieldState): FieldState => (s.cursor >= chars(s.value).length ? s : splice(s, s.cursor, s.cursor + 1));

export const moveTo = (s: FieldState, cursor: number): FieldState => fieldOf(s.value, cursor);

/** Ctrl+U: everything before the cursor goes; the cursor ends at the start. */
export const deleteToStart = (s: FieldState): FieldState => splice(s, 0, s.cursor);

/** Ctrl+K: everything from the cursor on goes. */
export const deleteToEnd = (s: FieldState): FieldState => splice(s, s.cursor, chars(s.value).length);

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);

/** Where the word before the cursor starts: skip spaces, then non-spaces (readline's unix-word-rubout). */
export function wordStartBefore(s: FieldState): number {
  const cs = chars(s.value);
  let i = s.cursor;
  while (i > 0 && isSpace(cs[i - 1])) i--;
  while (i > 0 && !isSpace(cs[i - 1])) i--;
  return i;
}

/** Where the word after the cursor ends: skip spaces, then non-spaces. */
export function wordEndAfter(s: FieldState): number {
  const cs = chars(s.value);
  let i = s.cursor;
  while (i < cs.length && isSpace(cs[i])) i++;
  while (i < cs.length && !isSpace(cs[i])) i++;
  return i;
}

/** Ctrl+W (and Alt+Backspace): the word before the cursor goes. */
export const deleteWordBackward = (s: FieldState): FieldState => splice(s, wordStartBefore(s), s.cursor);

/** Applies one input event (a key or a chunk of text) to the field. */
export function applyInput(s: FieldState, input: string, key: KeyLike): FieldStep {
  const step = (state: FieldState): FieldStep => ({ state, submit: false, rest: '' });
  const end = chars(s.value).length;
  if (key.return) return { state: s, submit: true, rest: '' };
  if ((key.backspace || key.delete) && key.meta) return step(deleteWordBackward(s));
  if (key.backspace) return step(deleteBackward(s));
  if (key.delete) return step(deleteForward(s));
  if (key.leftArrow) return step(moveTo(s, key.ctrl || key.meta ? wordStartBefore(s) : s.cursor - 1));
  if (key.rightArrow) return step(moveTo(s, key.ctrl || key.meta ? wordEndAfter(s) : s.cursor + 1));
  if (key.home) return step(moveTo(s, 0));
  if (key.end) return step(moveTo(s, end));
  if (key.ctrl) {
    switch (input) {
      case 'a': return step(moveTo(s, 0));
      case 'e': return step(moveTo(s, end));
      case 'b': return step(moveTo(s, s.cursor - 1));
      case 'f': return step(moveTo(s, s.cursor + 1));
      case 'd': return step(deleteForward(s));
      case 'u': return step(deleteToStart(s));
      case 'k': return step(deleteToEnd(s));
      case 'w': return step(deleteWordBackward(s));
      default: return step(s);
    }
  }
  if (key.meta) {
    // Alt+b / Alt+f: word left / right (readline); any other Alt+key is a shortcut, never text.
    if (input === 'b') return step(moveTo(s, wordStartBefore(s)));
    if (input === 'f') return step(moveTo(s, wordEndAfter(s)));
    return step(s);
  }
  if (key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return step(s);

  // Text: typed characters or a pasted chunk, inserted at the cursor in order.
  let state = s;
  const cs = chars(input);
  let run = '';
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as string;
    if (c === '\u007f' || c === '\b') {
      state = deleteBackward(insertText(state, run));
      run = '';
    } else if (c === '\r' || c === '\n') {
      return { state: insertText(state, run), submit: true, rest: cs.slice(i + 1).join('') };
    } else {
      run += c;
    }
  }
  return step(insertText(state, run));
}
