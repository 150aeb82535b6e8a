// Owns a text field's state for Ink: the value lives in a ref (authoritative, so a key handled before React
// re-renders sees it) mirrored into state for drawing. The screen feeds it keys; TextFieldView draws it.

import { Text } from 'ink';
import { useRef, useState } from 'react';
import { applyInput, type FieldStep, type KeyLike } from './text-field.ts';

export type TextField = {
  value: () => string;
  shown: string;
  /** Applies one input event; returns the reducer's step so the caller can act on submit. */
  feed(input: string, key: KeyLike): FieldStep;
};

export function useTextField(initial: string, onChange?: (v: string) => void): TextField {
  const ref = useRef(initial);
  const [shown, setShown] = useState(initial);
  return {
    value: () => ref.current,
    shown,
    feed(input, key) {
      const step = applyInput(ref.current, input, key);
      if (step.value !== ref.current) {
        ref.current = step.value;
        setShown(step.value);
        onChange?.(step.value);
      }
      return step;
    },
  };
}

export function TextFieldView({ value, mask, placeholder }: { value: string; mask?: string; placeholder?: string }) {
  if (value === '' && placeholder) {
    return <Text><Text inverse> </Text><Text dimColor>{placeholder}</Text></Text>;
  }
  return <Text>{mask ? mask.repeat(Array.from(value).length) : value}<Text inverse> </Text></Text>;
}
