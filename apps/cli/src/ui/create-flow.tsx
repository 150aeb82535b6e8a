// Owns the create wizard: name (live counter, inline validation) → description → review → spinner → result
// with both keys. Esc goes back one step keeping every value typed so far.

import type { ApiKey } from '@apikey/core';
import { Box, Text } from 'ink';
import { useState } from 'react';
import { STORE_NOTE } from '../commands/output.ts';
import { useKeys } from './input-router.tsx';
import { KeyValues } from './key-values.tsx';
import { osc52 } from './osc52.ts';
import { TextFieldView, useTextField } from './use-text-field.tsx';
import { ErrorBox, Hint, RequestStep } from './widgets.tsx';
import { codePoints, DESCRIPTION_MAX, NAME_MAX, useWizard, type CoreFns } from './wizard-context.tsx';

type Step = 'name' | 'description' | 'review' | 'creating' | 'result' | 'error';

export function CreateFlow({ initialName = '', initialDescription = '', onBack, onDone }: {
  initialName?: string; initialDescription?: string; onBack: () => void; onDone: (key: ApiKey) => void;
}) {
  const [step, setStep] = useState<Step>('name');
  const [name, setName] = useState(initialName);
  const [description, setDescription] = useState(initialDescription);
  const [created, setCreated] = useState<ApiKey | undefined>();
  const [error, setError] = useState<unknown>();

  switch (step) {
    case 'name':
      return (
        <TextStep key="name" label="Name" help="1-20 characters, shown in the NCP console" initial={name} max={NAME_MAX}
          validate={(c, v) => c.validateApiKeyName(v)} onChange={setName} onBack={onBack}
          onSubmit={(v) => { setName(v); setStep('description'); }} />
      );
    case 'description':
      return (
        <TextStep key="description" label="Description" help="optional, up to 50 characters" initial={description} max={DESCRIPTION_MAX}
          validate={(c, v) => c.validateApiKeyDescription(v)} onChange={setDescription} onBack={() => setStep('name')}
          onSubmit={(v) => { setDescription(v); setStep('review'); }} />
      );
    case 'review':
      return <Review name={name} description={description} onBack={() => setStep('description')} onConfirm={() => setStep('creating')} />;
    case 'creating':
      return (
        <Creating name={name} description={description}
          onCreated={(k) => { setCreated(k); setStep('result'); }}
          onFailed={(e) => { setError(e); setStep('error'); }} />
      );
    case 'result':
      return <CreatedKey apiKey={created as ApiKey} onDone={() => onDone(created as ApiKey)} />;
    case 'error':
      return <Failed error={error} onRetry={() => setStep('creating')} onBack={() => setStep('review')} />;
  }
}

function TextStep({ label, help, initial, max, validate, onChange, onSubmit, onBack }: {
  label: string; help: string; initial: string; max: number; validate: (core: CoreFns, v: string) => string | undefined;
  onChange: (v: string) => void; onSubmit: (v: string) => void; onBack: () => void;
}) {
  const { core, coreReady } = useWizard();
  const [touched, setTouched] = useState(false);
  const field = useTextField(initial, (v) => { setTouched(true); onChange(v); });
  const submit = (c: CoreFns, value: string) => {
    if (validate(c, value) !== undefined) setTouched(true);
    else onSubmit(value);
  };
  useKeys((input, key) => {
    if (key.escape) return onBack();
    const step = field.feed(input, key);
    if (!step.submit) return;
    // Enter within the first few ms, before core has loaded, is answered as soon as it has.
    if (core) submit(core, step.value);
    else void coreReady.then((c) => submit(c, step.value), () => undefined);
    return step.rest;
  });
  const count = codePoints(field.shown);
  const problem = touched && core ? validate(core, field.shown) : undefined;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{label}</Text> <Text dimColor>({help})</Text>
      </Text>
      <Box>
        <Text color="cyan">› </Text>
        <TextFieldView value={field.shown} />
        <Text color={count > max ? 'red' : 'gray'}>  {count}/{max}</Text>
      </Box>
      {problem ? <Text color="red">✖ {problem}</Text> : <Text> </Text>}
      <Hint>Enter to continue · Esc to go back · Ctrl+C to quit</Hint>
    </Box>
  );
}

function Review({ name, description, onBack, onConfirm }: { name: string; description: string; onBack: () => void; onConfirm: () => void }) {
  useKeys((input, key) => {
    if (key.escape || (input === 'n' && !key.ctrl && !key.meta)) return onBack();
    if (key.return || (input === 'y' && !key.ctrl && !key.meta)) return onConfirm();
  });
  return (
    <Box flexDirection="column">
      <Text bold>Create this API key?</Text>
      <Text>  Name         {name.trim()}</Text>
      <Text>  Description  {description.trim() === '' ? <Text dimColor>(none)</Text> : description.trim()}</Text>
      <Hint>Enter or y to create · Esc or n to go back</Hint>
    </Box>
  );
}

function Creating({ name, description, onCreated, onFailed }: {
  name: string; description: string; onCreated: (k: ApiKey) => void; onFailed: (e: unknown) => void;
}) {
  return (
    <RequestStep label={`Creating "${name.trim()}"…`} onDone={onCreated} onFailed={onFailed}
      request={(client, signal) => client.createApiKey({ apiKeyName: name, apiKeyDescription: description }, { signal, operationId: crypto.randomUUID() })} />
  );
}

export function CreatedKey({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  const copied = useCopy();
  useKeys((input, key) => {
    if (key.ctrl || key.meta) return;
    if (input === 'c' && apiKey.primaryKey) return copied.copy('primary key', apiKey.primaryKey);
    if (input === 's' && apiKey.secondaryKey) return copied.copy('secondary key', apiKey.secondaryKey);
    if (key.return || key.escape || input === 'q') return onDone();
  });
  return (
    <Box flexDirection="column">
      <Text color="green" bold>✔ Created API key "{apiKey.apiKeyName}"</Text>
      <KeyValues apiKey={apiKey} show={['PRIMARY', 'SECONDARY']} />
      <Box marginTop={1}><Text color="yellow">{STORE_NOTE}</Text></Box>
      {copied.message ? <Text color="green">{copied.message}</Text> : null}
      <Hint>c copy primary key · s copy secondary key · Enter to finish</Hint>
    </Box>
  );
}

export function useCopy(): { message: string | undefined; copy: (what: string, value: string) => void } {
  const { writeRaw } = useWizard();
  const [message, setMessage] = useState<string | undefined>();
  return {
    message,
    copy(what, value) {
      writeRaw(osc52(value));
      setMessage(`Sent the ${what} to the clipboard (OSC 52; some terminals ignore it, the key is shown above).`);
    },
  };
}

function Failed({ error, onRetry, onBack }: { error: unknown; onRetry: () => void; onBack: () => void }) {
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.return || (input === 'r' && !key.ctrl)) return onRetry();
  });
  return (
    <Box flexDirection="column">
      <Text bold>Could not create the key</Text>
      <ErrorBox error={error} />
      <Hint>Enter or r to retry · Esc to go back to the review</Hint>
    </Box>
  );
}
