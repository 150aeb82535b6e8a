// Owns a text field's state for Ink: the state lives in a ref (authoritative, so a key handled before React
// re-renders sees it) mirrored into React state for drawing. The screen feeds it keys; TextFieldView draws the
// value with the cursor as an inverse cell.

import { printable } from '@apikey/core/lite';
import { Text } from 'ink';
import { useRef, useState } from 'react';
import { applyInput, fieldOf, type FieldState, type FieldStep, type KeyLike } from './text-field.ts';

export type TextField = {
  value: () => string;
  /** What to draw: the value and the cursor as of the last render. */
  shown: FieldState;
  /** Applies one input event; returns the reducer's step so the caller can act on submit. */
  feed(input: string, key: KeyLike): FieldStep;
};

export function useTextField(initial: string, onChange?: (v: string) => void): TextField {
  const ref = useRef<FieldState>(fieldOf(initial));
  const [shown, setShown] = useState<FieldState>(ref.current);
  return {
    value: () => ref.current.value,
    shown,
    feed(input, key) {
      const step = applyInput(ref.current, input, key);
      if (step.state !== ref.current) {
        const changed = step.state.value !== ref.current.value;
        ref.current = step.state;
        setShown(step.state);
        if (changed) onChange?.(step.state.value);
      }
      return step;
    },
  };
}

export function TextFieldView({ field, mask, placeholder }: { field: FieldState; mask?: string; placeholder?: string }) {
  if (field.value === '' && placeholder) {
    return <Text><Text inverse> </Text><Text dimColor>{placeholder}</Text></Text>;
  }
  // Typed text never holds control characters, but a value pre-filled from a flag may: show them, never run them.
  const cs = Array.from(field.value).map((c) => (mask ? mask : printable(c)));
  const before = cs.slice(0, field.cursor).join('');
  const at = cs[field.cursor] ?? ' ';
  const after = cs.slice(field.cursor + 1).join('');
  return <Text>{before}<Text inverse>{at}</Text>{after}</Text>;
}
