// Owns the interactive `apikey configure` form: access key typed visibly, secret key masked with '*'
// (its value never reaches the screen), Esc back, Ctrl+C cancels.

import { Box, Text, useApp } from 'ink';
import { useState } from 'react';
import { InputRouter, useKeys } from './input-router.tsx';
import { TextFieldView, useTextField } from './use-text-field.tsx';
import { Hint } from './widgets.tsx';

export type ConfigureResult = { accessKey: string; secretKey: string } | undefined;

export function ConfigureForm({ profile, path, onDone }: { profile: string; path: string; onDone: (r: ConfigureResult) => void }) {
  const { exit } = useApp();
  const [step, setStep] = useState<'access' | 'secret'>('access');
  const [accessKey, setAccessKey] = useState('');
  const finish = (r: ConfigureResult) => { onDone(r); exit(); };
  return (
    <InputRouter onInterrupt={() => finish(undefined)}>
      <Box flexDirection="column" paddingX={1}>
        <Text><Text bold color="cyan">apikey</Text> · configure profile "{profile}"</Text>
        <Text dimColor>writes {path} (mode 0600)</Text>
        <Text> </Text>
        {step === 'access'
          ? <Field key="access" label="NCP access key" initial={accessKey} onBack={() => finish(undefined)} onSubmit={(v) => { setAccessKey(v); setStep('secret'); }} />
          : <Field key="secret" label="NCP secret key" mask="*" initial="" onBack={() => setStep('access')} onSubmit={(v) => finish({ accessKey: accessKey.trim(), secretKey: v.trim() })} />}
      </Box>
    </InputRouter>
  );
}

function Field({ label, mask, initial, onSubmit, onBack }: { label: string; mask?: string; initial: string; onSubmit: (v: string) => void; onBack: () => void }) {
  const [problem, setProblem] = useState<string | undefined>();
  const field = useTextField(initial, () => setProblem(undefined));
  useKeys((input, key) => {
    if (key.escape) return onBack();
    const step = field.feed(input, key);
    if (!step.submit) return;
    if (step.state.value.trim() === '') return setProblem(`${label} is required`);
    onSubmit(step.state.value);
    return step.rest;
  });
  return (
    <Box flexDirection="column">
      <Box>
        <Text bold>{label}: </Text>
        <TextFieldView field={field.shown} {...(mask ? { mask } : {})} />
      </Box>
      {problem ? <Text color="red">✖ {problem}</Text> : null}
      <Hint>{mask ? 'input is masked · Enter to save · Esc to go back' : 'Enter to continue · Esc to cancel'}</Hint>
    </Box>
  );
}
