// Owns the delete wizard: pick a key (or load the named one) → confirm by typing its name or y → spinner → result.

import type { ApiKey } from '@apikey/core';
import { Box, Text } from 'ink';
import { useState } from 'react';
import { useKeys } from './input-router.tsx';
import { KeyList } from './key-list.tsx';
import { Failure, LoadKey } from './rotate-flow.tsx';
import { TextFieldView, useTextField } from './use-text-field.tsx';
import { Hint, RequestStep } from './widgets.tsx';

type Step =
  | { s: 'pick' } | { s: 'load'; id: string } | { s: 'confirm'; key: ApiKey } | { s: 'working'; key: ApiKey }
  | { s: 'done'; key: ApiKey } | { s: 'failed'; error: unknown; back: Step };

export function DeleteFlow({ apiKeyId, onBack }: { apiKeyId?: string; onBack: () => void }) {
  const [step, setStep] = useState<Step>(apiKeyId ? { s: 'load', id: apiKeyId } : { s: 'pick' });
  switch (step.s) {
    case 'pick':
      return <KeyList title="Delete which key?" onPick={(key) => setStep({ s: 'confirm', key })} onBack={onBack} />;
    case 'load':
      return <LoadKey id={step.id} onLoaded={(key) => setStep({ s: 'confirm', key })} onFailed={(error) => setStep({ s: 'failed', error, back: { s: 'pick' } })} />;
    case 'confirm':
      return <ConfirmDelete apiKey={step.key} onYes={() => setStep({ s: 'working', key: step.key })} onNo={() => setStep({ s: 'pick' })} />;
    case 'working':
      return <Deleting apiKey={step.key} onDone={() => setStep({ s: 'done', key: step.key })} onFailed={(error) => setStep({ s: 'failed', error, back: { s: 'confirm', key: step.key } })} />;
    case 'done':
      return <Deleted apiKey={step.key} onDone={onBack} />;
    case 'failed':
      return <Failure error={step.error} onBack={() => setStep(step.back)} />;
  }
}

/** Typing the exact name or y confirms; anything else is refused with a message. */
export function confirmsDelete(typed: string, apiKey: ApiKey): boolean {
  const t = typed.trim();
  return t.toLowerCase() === 'y' || (t !== '' && t === (apiKey.apiKeyName ?? '').trim());
}

function ConfirmDelete({ apiKey, onYes, onNo }: { apiKey: ApiKey; onYes: () => void; onNo: () => void }) {
  const [refused, setRefused] = useState(false);
  const field = useTextField('');
  useKeys((input, key) => {
    if (key.escape) return onNo();
    const step = field.feed(input, key);
    if (!step.submit) return;
    if (confirmsDelete(step.value, apiKey)) return onYes();
    setRefused(true);
  });
  return (
    <Box flexDirection="column">
      <Text bold color="red">Delete "{apiKey.apiKeyName}" ({apiKey.apiKeyId})?</Text>
      <Text>Every client using this key loses access. This cannot be undone.</Text>
      <Box marginTop={1}>
        <Text>Type the key's name or y to confirm: </Text>
        <TextFieldView value={field.shown} />
      </Box>
      {refused ? <Text color="red">✖ That is neither the name nor y; nothing was deleted.</Text> : null}
      <Hint>Enter to confirm · Esc to go back</Hint>
    </Box>
  );
}

function Deleting({ apiKey, onDone, onFailed }: { apiKey: ApiKey; onDone: () => void; onFailed: (e: unknown) => void }) {
  return (
    <RequestStep label={`Deleting "${apiKey.apiKeyName}"…`} onDone={onDone} onFailed={onFailed}
      request={(client, signal) => client.deleteApiKey(apiKey.apiKeyId, { signal })} />
  );
}

function Deleted({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  useKeys((_input, key) => {
    if (key.return || key.escape) return onDone();
  });
  return (
    <Box flexDirection="column">
      <Text color="green" bold>✔ Deleted "{apiKey.apiKeyName}" ({apiKey.apiKeyId})</Text>
      <Hint>Enter to finish</Hint>
    </Box>
  );
}
