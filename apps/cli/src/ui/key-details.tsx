// Owns browsing keys: the list, Enter on a key → its details (status, description, products with their
// subscription status), and the actions from there (rotate, enable/disable, subscribe, delete). Each action is
// its own small component; when one finishes, the details are loaded again so they show what NCP now holds.

import type { ApiKey, ApiKeyProduct } from '@apikey/core';
import { printable } from '@apikey/core/lite';
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { DeleteFlow } from './delete-flow.tsx';
import { useKeys } from './input-router.tsx';
import { KeyList } from './key-list.tsx';
import { RotateFlow } from './rotate-flow.tsx';
import { SubscribeAction } from './subscribe-action.tsx';
import { ErrorBox, Hint, keyLabel, RequestStep, Spinner } from './widgets.tsx';
import { useAbortableRun, useWizard, type WizardClient } from './wizard-context.tsx';

type View =
  | { v: 'list' }
  | { v: 'details'; id: string; notice?: string }
  | { v: 'rotate' | 'toggle' | 'subscribe' | 'delete'; key: ApiKey };

export function KeyBrowser({ onBack }: { onBack: () => void }) {
  const [view, setView] = useState<View>({ v: 'list' });
  const details = (key: ApiKey, notice?: string) => setView({ v: 'details', id: key.apiKeyId, ...(notice ? { notice } : {}) });
  switch (view.v) {
    case 'list':
      return <KeyList title="API keys" pickHint="Enter for details and actions" onPick={(key) => details(key)} onBack={onBack} />;
    case 'details':
      return (
        <KeyDetails key={`${view.id}:${view.notice ?? ''}`} id={view.id} {...(view.notice ? { notice: view.notice } : {})}
          onAction={(v, key) => setView({ v, key })} onBack={() => setView({ v: 'list' })} />
      );
    case 'rotate':
      return <RotateFlow apiKey={view.key} onBack={() => details(view.key)} />;
    case 'toggle':
      return <ToggleEnabled apiKey={view.key} onDone={(notice) => details(view.key, notice)} onBack={() => details(view.key)} />;
    case 'subscribe':
      return <SubscribeAction apiKey={view.key} onDone={(notice) => details(view.key, notice)} onBack={() => details(view.key)} />;
    case 'delete':
      return <DeleteFlow apiKey={view.key} onBack={() => details(view.key)} onDeleted={() => setView({ v: 'list' })} />;
  }
}

type Loaded = { key: ApiKey; products: ApiKeyProduct[] };

/** Every product the key is linked to (all pages). */
export async function allProducts(client: WizardClient, id: string, signal: AbortSignal): Promise<ApiKeyProduct[]> {
  const out: ApiKeyProduct[] = [];
  for (;;) {
    const page = await client.listApiKeyProducts(id, { limit: 100, offset: out.length }, { signal });
    out.push(...page.products);
    if (page.products.length === 0 || out.length >= page.total) return out;
  }
}

const ACTIONS: { hotkey: string; label: (k: ApiKey) => string; action: Exclude<View['v'], 'list' | 'details'> }[] = [
  { hotkey: 'r', label: () => 'rotate', action: 'rotate' },
  { hotkey: 'e', label: (k) => (k.isEnabled === false ? 'enable' : 'disable'), action: 'toggle' },
  { hotkey: 's', label: () => 'subscribe', action: 'subscribe' },
  { hotkey: 'd', label: () => 'delete', action: 'delete' },
];

function KeyDetails({ id, notice, onAction, onBack }: {
  id: string; notice?: string; onAction: (a: Exclude<View['v'], 'list' | 'details'>, key: ApiKey) => void; onBack: () => void;
}) {
  const { client } = useWizard();
  const run = useAbortableRun();
  const [state, setState] = useState<{ s: 'loading' } | { s: 'ready'; loaded: Loaded } | { s: 'failed'; error: unknown }>({ s: 'loading' });
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once per mount (an action remounts the details)
  useEffect(() => {
    let live = true;
    run(async (signal) => {
      const [key, products] = await Promise.all([client.getApiKey(id, { signal }), allProducts(client, id, signal)]);
      return { key, products };
    }).then((loaded) => { if (live) setState({ s: 'ready', loaded }); }, (error: unknown) => { if (live) setState({ s: 'failed', error }); });
    return () => { live = false; };
  }, []);
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (state.s !== 'ready' || key.ctrl || key.meta) return;
    const a = ACTIONS.find((x) => x.hotkey === input);
    if (a) onAction(a.action, state.loaded.key);
  });

  if (state.s === 'loading') return <Spinner label={`Loading ${id}…`} />;
  if (state.s === 'failed') return <Box flexDirection="column"><ErrorBox error={state.error} /><Hint>Esc to go back</Hint></Box>;
  const { key: k, products } = state.loaded;
  return (
    <Box flexDirection="column">
      <Text bold>{keyLabel(k)}</Text>
      <Text>  Status       {k.isEnabled === false ? <Text color="yellow">disabled</Text> : <Text color="green">enabled</Text>}</Text>
      <Text>  Description  {k.apiKeyDescription ? printable(k.apiKeyDescription) : <Text dimColor>(none)</Text>}</Text>
      {k.modTime ? <Text>  Modified     {printable(k.modTime)}</Text> : null}
      <Box marginTop={1} flexDirection="column">
        <Text bold>Products</Text>
        {products.length === 0 ? <Text dimColor>  Not subscribed to any product.</Text> : null}
        {products.map((p) => (
          <Text key={p.productId}>  {printable(p.productName ?? p.productId)} <Text dimColor>({printable(p.productId)})</Text>  {subscriptionStatus(p.status)}</Text>
        ))}
      </Box>
      {notice ? <Box marginTop={1}><Text color="green">✔ {notice}</Text></Box> : null}
      <Hint>{`${ACTIONS.map((a) => `${a.hotkey} ${a.label(k)}`).join(' · ')} · Esc back to the list`}</Hint>
    </Box>
  );
}

function subscriptionStatus(status: string | undefined) {
  switch (status) {
    case 'ACCEPTED': return <Text color="green">subscribed</Text>;
    case 'REQUEST': return <Text color="yellow">waiting for the product owner's approval</Text>;
    case 'REJECTED': return <Text color="red">rejected</Text>;
    case undefined: return <Text dimColor>(status unknown)</Text>;
    default: return <Text>{printable(status)}</Text>;
  }
}

/** Enable at once; disabling breaks every client of the key, so it asks first. */
function ToggleEnabled({ apiKey, onDone, onBack }: { apiKey: ApiKey; onDone: (notice: string) => void; onBack: () => void }) {
  const enable = apiKey.isEnabled === false;
  const [confirmed, setConfirmed] = useState(enable);
  const [error, setError] = useState<unknown>();
  useKeys((input, key) => {
    if (confirmed && error === undefined) return;
    if (key.escape || (input === 'n' && !key.ctrl && !key.meta)) return onBack();
    if (error !== undefined) {
      if (key.return) onBack();
      return;
    }
    if (key.return || (input === 'y' && !key.ctrl && !key.meta)) setConfirmed(true);
  });
  if (error !== undefined) return <Box flexDirection="column"><ErrorBox error={error} /><Hint>Enter or Esc to go back</Hint></Box>;
  if (!confirmed) {
    return (
      <Box flexDirection="column">
        <Text bold>Disable {keyLabel(apiKey)}?</Text>
        <Text color="yellow">Calls made with this key are refused until it is enabled again.</Text>
        <Hint>Enter or y to disable · Esc or n to go back</Hint>
      </Box>
    );
  }
  return (
    <RequestStep label={enable ? 'Enabling…' : 'Disabling…'} onFailed={setError}
      onDone={() => onDone(enable ? 'Enabled the key.' : 'Disabled the key.')}
      request={(client, signal) => client.setApiKeyEnabled(apiKey.apiKeyId, enable, { signal })} />
  );
}
