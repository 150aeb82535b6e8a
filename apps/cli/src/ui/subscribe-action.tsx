// Owns subscribing a key to a product: the product id typed into a field (a picker from the product list can
// replace the field later without touching the rest) → spinner → back to the details with a notice. A product
// that needs its owner's approval comes back as "waiting for approval" in the details' product list.

import type { ApiKey } from '@apikey/core';
import { Box, Text } from 'ink';
import { useState } from 'react';
import { useKeys } from './input-router.tsx';
import { TextFieldView, useTextField } from './use-text-field.tsx';
import { Failure, Hint, keyLabel, RequestStep } from './widgets.tsx';

// The same rule core's productIdSchema enforces before sending (ids become a URL path segment).
const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function SubscribeAction({ apiKey, onDone, onBack }: { apiKey: ApiKey; onDone: (notice: string) => void; onBack: () => void }) {
  const [step, setStep] = useState<{ s: 'input' } | { s: 'working'; productId: string } | { s: 'failed'; error: unknown }>({ s: 'input' });
  const [productId, setProductId] = useState('');
  switch (step.s) {
    case 'input':
      return <ProductIdField apiKey={apiKey} initial={productId} onBack={onBack} onSubmit={(id) => { setProductId(id); setStep({ s: 'working', productId: id }); }} />;
    case 'working':
      return (
        <RequestStep label={`Subscribing to ${step.productId}…`} onFailed={(error) => setStep({ s: 'failed', error })}
          onDone={() => onDone(`Subscribed to ${step.productId}.`)}
          request={(client, signal) => client.subscribeApiKey(apiKey.apiKeyId, step.productId, { signal })} />
      );
    case 'failed':
      return <Failure title="Could not subscribe" error={step.error} onBack={() => setStep({ s: 'input' })} />;
  }
}

function ProductIdField({ apiKey, initial, onSubmit, onBack }: { apiKey: ApiKey; initial: string; onSubmit: (id: string) => void; onBack: () => void }) {
  const [problem, setProblem] = useState<string | undefined>();
  const field = useTextField(initial, () => setProblem(undefined));
  useKeys((input, key) => {
    if (key.escape) return onBack();
    const step = field.feed(input, key);
    if (!step.submit) return;
    const id = step.state.value.trim();
    if (!PRODUCT_ID.test(id)) return void setProblem(id === '' ? 'A product id is required' : "A product id is 1-64 letters, digits, '-' or '_'");
    onSubmit(id);
  });
  return (
    <Box flexDirection="column">
      <Text bold>Subscribe {keyLabel(apiKey)} to a product</Text>
      <Box>
        <Text>Product id: </Text>
        <TextFieldView field={field.shown} />
      </Box>
      {problem ? <Text color="red">✖ {problem}</Text> : null}
      <Hint>Enter to subscribe · Esc to go back</Hint>
    </Box>
  );
}
