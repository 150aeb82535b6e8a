// The text field's editing rules, checked as properties over random edit sequences: the field agrees step by
// step with a plain array-of-characters model, the cursor stays in range, no control character ever enters the
// value, and a chunk of text means the same as typing it key by key.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyInput, deleteWordBackward, fieldOf, isControl, type FieldState, type KeyLike } from '../src/ui/text-field.ts';

type Op =
  | { k: 'text'; text: string } | { k: 'left' } | { k: 'right' } | { k: 'home' } | { k: 'end' }
  | { k: 'backspace' } | { k: 'delete' } | { k: 'ctrlU' } | { k: 'ctrlK' } | { k: 'ctrlW' } | { k: 'ctrlA' } | { k: 'ctrlE' };

// Printable characters from several scripts (ASCII, Hangul, an astral emoji) plus spaces, and control characters.
const printableChar = fc.constantFrom('a', 'b', 'Z', '0', ' ', '-', '키', '이', '😀', 'é');
const controlChar = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u001f', '\u0085', '\u009b', '\t');
const text = fc.array(fc.oneof({ weight: 4, arbitrary: printableChar }, { weight: 1, arbitrary: controlChar }), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => ({ k: 'text' as const, text: t })) },
  fc.constantFrom<Op>({ k: 'left' }, { k: 'right' }, { k: 'home' }, { k: 'end' }, { k: 'backspace' }, { k: 'delete' },
    { k: 'ctrlU' }, { k: 'ctrlK' }, { k: 'ctrlW' }, { k: 'ctrlA' }, { k: 'ctrlE' }),
);

function toEvent(o: Op): [string, KeyLike] {
  switch (o.k) {
    case 'text': return [o.text, {}];
    case 'left': return ['', { leftArrow: true }];
    case 'right': return ['', { rightArrow: true }];
    case 'home': return ['', { home: true }];
    case 'end': return ['', { end: true }];
    case 'backspace': return ['', { backspace: true }];
    case 'delete': return ['', { delete: true }];
    case 'ctrlU': return ['u', { ctrl: true }];
    case 'ctrlK': return ['k', { ctrl: true }];
    case 'ctrlW': return ['w', { ctrl: true }];
    case 'ctrlA': return ['a', { ctrl: true }];
    case 'ctrlE': return ['e', { ctrl: true }];
  }
}

/** The reference: an array of characters and an index, edited the obvious way. */
type Model = { cs: string[]; at: number };
function model(m: Model, o: Op): Model {
  const cs = [...m.cs];
  switch (o.k) {
    case 'text': {
      const kept = Array.from(o.text).filter((c) => !isControl(c.codePointAt(0)!));
      cs.splice(m.at, 0, ...kept);
      return { cs, at: m.at + kept.length };
    }
    case 'left': return { cs, at: Math.max(0, m.at - 1) };
    case 'right': return { cs, at: Math.min(cs.length, m.at + 1) };
    case 'home': case 'ctrlA': return { cs, at: 0 };
    case 'end': case 'ctrlE': return { cs, at: cs.length };
    case 'backspace': if (m.at > 0) cs.splice(m.at - 1, 1); return { cs, at: Math.max(0, m.at - 1) };
    case 'delete': cs.splice(m.at, 1); return { cs, at: m.at };
    case 'ctrlU': return { cs: cs.slice(m.at), at: 0 };
    case 'ctrlK': return { cs: cs.slice(0, m.at), at: m.at };
    case 'ctrlW': {
      let i = m.at;
      while (i > 0 && /\s/u.test(cs[i - 1]!)) i--;
      while (i > 0 && !/\s/u.test(cs[i - 1]!)) i--;
      cs.splice(i, m.at - i);
      return { cs, at: i };
    }
  }
}

const run = (ops: Op[], start: FieldState = fieldOf('')): FieldState[] => {
  const states: FieldState[] = [];
  let s = start;
  for (const o of ops) {
    const [input, key] = toEvent(o);
    const step = applyInput(s, input, key);
    expect(step.submit).toBe(false);
    s = step.state;
    states.push(s);
  }
  return states;
};

describe('text field (properties)', () => {
  it('agrees with the array model after every edit of any sequence', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      let m: Model = { cs: [], at: 0 };
      const states = run(ops);
      ops.forEach((o, i) => {
        m = model(m, o);
        expect(states[i]).toEqual({ value: m.cs.join(''), cursor: m.at });
      });
    }), { numRuns: 500 });
  });

  it('keeps the cursor within the value and control characters out of it', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      for (const s of run(ops)) {
        const n = Array.from(s.value).length;
        expect(s.cursor).toBeGreaterThanOrEqual(0);
        expect(s.cursor).toBeLessThanOrEqual(n);
        expect(Array.from(s.value).some((c) => isControl(c.codePointAt(0)!))).toBe(false);
      }
    }), { numRuns: 300 });
  });

  it('inserts a pasted chunk exactly as typing it character by character would', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 10 }), fc.array(fc.oneof(printableChar, controlChar, fc.constant('\u007f')), { maxLength: 12 }), (before, chunk) => {
      const start = run(before).at(-1) ?? fieldOf('');
      const pasted = applyInput(start, chunk.join(''), {}).state;
      let typed = start;
      for (const c of chunk) typed = applyInput(typed, c, c === '\u007f' ? { backspace: true } : {}).state;
      expect(pasted).toEqual(typed);
    }), { numRuns: 300 });
  });

  it('submits at the first CR or LF of a chunk with the text before it, and hands back the rest', () => {
    fc.assert(fc.property(fc.array(printableChar, { maxLength: 8 }), fc.constantFrom('\r', '\n'), fc.string({ maxLength: 8 }), (head, nl, tail) => {
      const step = applyInput(fieldOf('x', 0), head.join('') + nl + tail, {});
      expect(step.submit).toBe(true);
      expect(step.state.value).toBe(`${head.join('')}x`);
      expect(step.rest).toBe(tail);
    }));
  });

  it('Backspace undoes the insertion of one character anywhere in the value', () => {
    fc.assert(fc.property(fc.array(printableChar, { maxLength: 10 }), fc.nat(), printableChar, (cs, at, c) => {
      const s = fieldOf(cs.join(''), at % (cs.length + 1));
      const typed = applyInput(s, c, {}).state;
      expect(applyInput(typed, '', { backspace: true }).state).toEqual(s);
    }));
  });

  it('Ctrl+W removes only a trailing word (and the spaces after it) from the text before the cursor', () => {
    fc.assert(fc.property(fc.array(printableChar, { maxLength: 14 }), fc.nat(), (cs, at) => {
      const s = fieldOf(cs.join(''), at % (cs.length + 1));
      const before = Array.from(s.value).slice(0, s.cursor).join('');
      const after = Array.from(s.value).slice(s.cursor).join('');
      const out = deleteWordBackward(s);
      const kept = Array.from(out.value).slice(0, out.cursor).join('');
      expect(out.value).toBe(kept + after);
      expect(before.startsWith(kept)).toBe(true);
      expect(before.slice(kept.length)).toMatch(/^\S*\s*$/u);
    }));
  });
});

describe('text field (examples)', () => {
  it('moves by words with Ctrl/Alt+←/→ and Alt+b/f', () => {
    const s = fieldOf('alpha beta gamma');
    expect(applyInput(s, '', { leftArrow: true, ctrl: true }).state.cursor).toBe(11);
    expect(applyInput(s, 'b', { meta: true }).state.cursor).toBe(11);
    expect(applyInput(fieldOf('alpha beta', 0), 'f', { meta: true }).state.cursor).toBe(5);
    expect(applyInput(fieldOf('alpha beta', 5), '', { rightArrow: true, meta: true }).state.cursor).toBe(10);
  });

  it('Alt+Backspace deletes the word before the cursor; Alt+letter inserts nothing', () => {
    expect(applyInput(fieldOf('one two'), '', { backspace: true, meta: true }).state.value).toBe('one ');
    expect(applyInput(fieldOf('one'), 'x', { meta: true }).state.value).toBe('one');
  });

  it('counts an emoji or a Hangul syllable as one cursor step', () => {
    const s = applyInput(fieldOf('a😀키'), '', { leftArrow: true }).state;
    expect(s.cursor).toBe(2);
    expect(applyInput(s, '', { backspace: true }).state).toEqual({ value: 'a키', cursor: 1 });
  });
});
