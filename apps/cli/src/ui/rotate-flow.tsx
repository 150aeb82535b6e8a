// Owns the rotate wizard: pick a key (or load the one named on the command line, or take the one whose details
// are open) → choose primary or secondary → confirm → spinner → the new key value.

import type { ApiKey } from '@apikey/core';
import { Box, Text } from 'ink';
import { useState } from 'react';
import { STORE_NOTE } from '../commands/output.ts';
import { useCopy } from './create-flow.tsx';
import { useKeys } from './input-router.tsx';
import { KeyList } from './key-list.tsx';
import { KeyValues } from './key-values.tsx';
import { Failure, Hint, keyLabel, RequestStep } from './widgets.tsx';

type KeyType = 'PRIMARY' | 'SECONDARY';
type Step =
  | { s: 'pick' } | { s: 'load'; id: string } | { s: 'type'; key: ApiKey } | { s: 'confirm'; key: ApiKey; type: KeyType }
  | { s: 'working'; key: ApiKey; type: KeyType } | { s: 'done'; key: ApiKey; type: KeyType } | { s: 'failed'; error: unknown; back: Step };

export function RotateFlow({ apiKey, apiKeyId, keyType, onBack }: { apiKey?: ApiKey; apiKeyId?: string; keyType?: KeyType; onBack: () => void }) {
  const pickStep = (key: ApiKey): Step => (keyType ? { s: 'confirm', key, type: keyType } : { s: 'type', key });
  const [step, setStep] = useState<Step>(apiKey ? pickStep(apiKey) : apiKeyId ? { s: 'load', id: apiKeyId } : { s: 'pick' });
  const afterPick = (key: ApiKey) => setStep(pickStep(key));
  // A flow given its key (command line or details screen) goes back there instead of to a picker it never showed.
  const given = apiKey !== undefined || apiKeyId !== undefined;
  const toPick = () => (given ? onBack() : setStep({ s: 'pick' }));
  switch (step.s) {
    case 'pick':
      return <KeyList title="Rotate which key?" onPick={afterPick} onBack={onBack} />;
    case 'load':
      return <LoadKey id={step.id} onLoaded={afterPick} onFailed={(error) => setStep({ s: 'failed', error, back: { s: 'pick' } })} />;
    case 'type':
      return <ChooseType apiKey={step.key} onChoose={(type) => setStep({ s: 'confirm', key: step.key, type })} onBack={toPick} />;
    case 'confirm':
      return <ConfirmRotate apiKey={step.key} type={step.type} onYes={() => setStep({ s: 'working', key: step.key, type: step.type })} onNo={() => setStep({ s: 'type', key: step.key })} />;
    case 'working':
      return <Rotating apiKey={step.key} type={step.type} onDone={(key) => setStep({ s: 'done', key, type: step.type })} onFailed={(error) => setStep({ s: 'failed', error, back: { s: 'confirm', key: step.key, type: step.type } })} />;
    case 'done':
      return <Rotated apiKey={step.key} type={step.type} onDone={onBack} />;
    case 'failed':
      return <Failure error={step.error} onBack={() => (step.back.s === 'pick' ? toPick() : setStep(step.back))} />;
  }
}

export function LoadKey({ id, onLoaded, onFailed }: { id: string; onLoaded: (k: ApiKey) => void; onFailed: (e: unknown) => void }) {
  return <RequestStep label={`Loading ${id}…`} request={(client, signal) => client.getApiKey(id, { signal })} onDone={onLoaded} onFailed={onFailed} />;
}

function ChooseType({ apiKey, onChoose, onBack }: { apiKey: ApiKey; onChoose: (t: KeyType) => void; onBack: () => void }) {
  const [sel, setSel] = useState<KeyType>('PRIMARY');
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.upArrow || key.downArrow) return setSel((s) => (s === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY'));
    if (key.ctrl || key.meta) return;
    if (input === 'p') return onChoose('PRIMARY');
    if (input === 's') return onChoose('SECONDARY');
    if (key.return) return onChoose(sel);
  });
  return (
    <Box flexDirection="column">
      <Text bold>Which key of {keyLabel(apiKey)} should be regenerated?</Text>
      <Text inverse={sel === 'PRIMARY'}>{sel === 'PRIMARY' ? '› ' : '  '}Primary key (p)</Text>
      <Text inverse={sel === 'SECONDARY'}>{sel === 'SECONDARY' ? '› ' : '  '}Secondary key (s)</Text>
      <Hint>↑/↓ and Enter, or p / s · Esc to go back</Hint>
    </Box>
  );
}

function ConfirmRotate({ apiKey, type, onYes, onNo }: { apiKey: ApiKey; type: KeyType; onYes: () => void; onNo: () => void }) {
  useKeys((input, key) => {
    if (key.escape || (input === 'n' && !key.ctrl)) return onNo();
    if (key.return || (input === 'y' && !key.ctrl)) return onYes();
  });
  return (
    <Box flexDirection="column">
      <Text bold>Regenerate the {type.toLowerCase()} key of {keyLabel(apiKey)}?</Text>
      <Text color="yellow">The current {type.toLowerCase()} key stops working immediately.</Text>
      <Hint>Enter or y to regenerate · Esc or n to go back</Hint>
    </Box>
  );
}

function Rotating({ apiKey, type, onDone, onFailed }: { apiKey: ApiKey; type: KeyType; onDone: (k: ApiKey) => void; onFailed: (e: unknown) => void }) {
  return (
    <RequestStep label={`Regenerating the ${type.toLowerCase()} key…`} onDone={onDone} onFailed={onFailed}
      request={(client, signal) => client.regenerateApiKey(apiKey.apiKeyId, type, { signal })} />
  );
}

function Rotated({ apiKey, type, onDone }: { apiKey: ApiKey; type: KeyType; onDone: () => void }) {
  const copied = useCopy();
  const value = type === 'PRIMARY' ? apiKey.primaryKey : apiKey.secondaryKey;
  useKeys((input, key) => {
    if (key.ctrl || key.meta) return;
    if (input === 'c' && value) return copied.copy(`${type.toLowerCase()} key`, value);
    if (key.return || key.escape || input === 'q') return onDone();
  });
  return (
    <Box flexDirection="column">
      <Text color="green" bold>✔ Regenerated the {type.toLowerCase()} key of {keyLabel(apiKey)}</Text>
      <KeyValues apiKey={apiKey} show={[type]} />
      <Box marginTop={1}><Text color="yellow">{STORE_NOTE}</Text></Box>
      {copied.message ? <Text color="green">{copied.message}</Text> : null}
      <Hint>c copy the new key · Enter to finish</Hint>
    </Box>
  );
}
