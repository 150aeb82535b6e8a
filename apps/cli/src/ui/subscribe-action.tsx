// Owns subscribing a key to a product from its details: the product picker (own products and the catalogue,
// type to filter) → spinner → back to the details with a notice. A failure shows NCP's error and returns to the
// picker. A product that needs its owner's approval comes back as "waiting for approval" in the details' list.

import type { ApiKey } from '@apikey/core';
import { printable } from '@apikey/core/lite';
import { useState } from 'react';
import { ProductPicker, type PickedProduct } from './product-picker.tsx';
import { Failure, keyLabel, RequestStep } from './widgets.tsx';

export function SubscribeAction({ apiKey, onDone, onBack }: { apiKey: ApiKey; onDone: (notice: string) => void; onBack: () => void }) {
  const [step, setStep] = useState<{ s: 'pick' } | { s: 'working'; product: PickedProduct } | { s: 'failed'; error: unknown }>({ s: 'pick' });
  const [last, setLast] = useState('');
  switch (step.s) {
    case 'pick':
      return (
        <ProductPicker title={`Subscribe ${keyLabel(apiKey)} to a product`} allowSkip={false} initialFilter={last} onBack={onBack}
          onPick={(p) => { if (p) { setLast(p.productId); setStep({ s: 'working', product: p }); } }} />
      );
    case 'working': {
      const name = `${printable(step.product.productName || step.product.productId)} (${printable(step.product.productId)})`;
      return (
        <RequestStep label={`Subscribing to ${name}…`} onFailed={(error) => setStep({ s: 'failed', error })}
          onDone={() => onDone(`Subscribed to ${name}.`)}
          request={(client, signal) => client.subscribeApiKey(apiKey.apiKeyId, step.product.productId, { signal })} />
      );
    }
    case 'failed':
      return <Failure title="Could not subscribe" error={step.error} onBack={() => setStep({ s: 'pick' })} />;
  }
}
