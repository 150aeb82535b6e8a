// Owns the delete wizard: pick a key (or load the one named on the command line, or take the one whose details
// are open) → confirm by typing the key's name exactly as shown → spinner → result. A single letter never
// confirms a deletion: typing the name makes the person read which key goes.

import type { ApiKey } from '@apikey/core';
import { printable } from '@apikey/core/lite';
import { Box, Text } from 'ink';
import { useState } from 'react';
import { useKeys } from './input-router.tsx';
import { KeyList } from './key-list.tsx';
import { LoadKey } from './rotate-flow.tsx';
import { TextFieldView, useTextField } from './use-text-field.tsx';
import { Failure, Hint, keyLabel, RequestStep } from './widgets.tsx';

type Step =
  | { s: 'pick' } | { s: 'load'; id: string } | { s: 'confirm'; key: ApiKey } | { s: 'working'; key: ApiKey }
  | { s: 'done'; key: ApiKey } | { s: 'failed'; error: unknown; back: Step };

export function DeleteFlow({ apiKey, apiKeyId, onBack, onDeleted }: {
  apiKey?: ApiKey; apiKeyId?: string; onBack: () => void; /** After the result screen; defaults to onBack. */ onDeleted?: () => void;
}) {
  const [step, setStep] = useState<Step>(apiKey ? { s: 'confirm', key: apiKey } : apiKeyId ? { s: 'load', id: apiKeyId } : { s: 'pick' });
  // A flow given its key (command line or details screen) goes back there instead of to a picker it never showed.
  const toPick = () => (apiKey || apiKeyId ? onBack() : setStep({ s: 'pick' }));
  switch (step.s) {
    case 'pick':
      return <KeyList title="Delete which key?" onPick={(key) => setStep({ s: 'confirm', key })} onBack={onBack} />;
    case 'load':
      return <LoadKey id={step.id} onLoaded={(key) => setStep({ s: 'confirm', key })} onFailed={(error) => setStep({ s: 'failed', error, back: { s: 'pick' } })} />;
    case 'confirm':
      return <ConfirmDelete apiKey={step.key} onYes={() => setStep({ s: 'working', key: step.key })} onNo={toPick} />;
    case 'working':
      return <Deleting apiKey={step.key} onDone={() => setStep({ s: 'done', key: step.key })} onFailed={(error) => setStep({ s: 'failed', error, back: { s: 'confirm', key: step.key } })} />;
    case 'done':
      return <Deleted apiKey={step.key} onDone={onDeleted ?? onBack} />;
    case 'failed':
      return <Failure error={step.error} onBack={() => (step.back.s === 'pick' ? toPick() : setStep(step.back))} />;
  }
}

/** What must be typed to delete `apiKey`: its name as the screen shows it, or its id when it has no name. */
function deleteConfirmation(apiKey: ApiKey): string {
  const name = (apiKey.apiKeyName ?? '').trim();
  return name === '' ? apiKey.apiKeyId : printable(name);
}

/** Only the exact name (surrounding spaces aside) confirms; "y", a prefix or another case does not. */
function confirmsDelete(typed: string, apiKey: ApiKey): boolean {
  return typed.trim() === deleteConfirmation(apiKey);
}

function ConfirmDelete({ apiKey, onYes, onNo }: { apiKey: ApiKey; onYes: () => void; onNo: () => void }) {
  const [refused, setRefused] = useState(false);
  const field = useTextField('', () => setRefused(false));
  const expected = deleteConfirmation(apiKey);
  const what = (apiKey.apiKeyName ?? '').trim() === '' ? 'id' : 'name';
  useKeys((input, key) => {
    if (key.escape) return onNo();
    const step = field.feed(input, key);
    if (!step.submit) return;
    if (confirmsDelete(step.state.value, apiKey)) return onYes();
    setRefused(true);
  });
  return (
    <Box flexDirection="column">
      <Text bold color="red">Delete {keyLabel(apiKey)}?</Text>
      <Text>Every client using this key loses access. This cannot be undone.</Text>
      <Box marginTop={1} flexDirection="column">
        <Text>Type the key's {what} to confirm:</Text>
        <Text bold>  {expected}</Text>
      </Box>
      <Box>
        <Text color="cyan">› </Text>
        <TextFieldView field={field.shown} />
      </Box>
      {refused ? <Text color="red">✖ That is not the key's {what}; nothing was deleted.</Text> : null}
      <Hint>Enter to delete · Esc to go back</Hint>
    </Box>
  );
}

function Deleting({ apiKey, onDone, onFailed }: { apiKey: ApiKey; onDone: () => void; onFailed: (e: unknown) => void }) {
  return (
    <RequestStep label={`Deleting ${keyLabel(apiKey)}…`} onDone={onDone} onFailed={onFailed}
      request={(client, signal) => client.deleteApiKey(apiKey.apiKeyId, { signal })} />
  );
}

function Deleted({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  useKeys((_input, key) => {
    if (key.return || key.escape) return onDone();
  });
  return (
    <Box flexDirection="column">
      <Text color="green" bold>✔ Deleted {keyLabel(apiKey)}</Text>
      <Hint>Enter to finish</Hint>
    </Box>
  );
}
