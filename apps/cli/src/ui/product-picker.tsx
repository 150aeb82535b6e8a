// Owns choosing a product in the wizard: the account's own products and the published catalogue in one list
// (an own product that is also published is listed once, as own), filtered as the user types, ↑/↓ to move,
// Enter to choose. The create flow puts a "skip — no product" entry first; the subscribe action does not.
// Loading and NCP errors are states of their own (r retries). Names and ids come from NCP: drawn through printable().

import { printable } from '@apikey/core/lite';
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useKeys } from './input-router.tsx';
import { TextFieldView, useTextField } from './use-text-field.tsx';
import { ErrorBox, Hint, Spinner } from './widgets.tsx';
import { useAbortableRun, useWizard, type WizardClient } from './wizard-context.tsx';

export type PickedProduct = { productId: string; productName: string; subscriptionCode: string; own: boolean };

/** Rows shown at once; the list scrolls with the highlight. */
const VISIBLE = 8;

export async function loadProducts(client: WizardClient, signal: AbortSignal): Promise<PickedProduct[]> {
  const out = new Map<string, PickedProduct>();
  const add = (p: { productId: string; productName?: string | undefined; subscriptionCode?: string | undefined }, own: boolean) => {
    if (!out.has(p.productId)) out.set(p.productId, { productId: p.productId, productName: p.productName ?? '', subscriptionCode: p.subscriptionCode ?? '', own });
  };
  for await (const p of client.iterateProducts({}, { signal })) add(p, true);
  for await (const p of client.iteratePublishedProducts({}, { signal })) add(p, false);
  return [...out.values()];
}

/** Case-insensitive substring match on name or id. */
export function filterProducts(all: readonly PickedProduct[], filter: string): PickedProduct[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return [...all];
  return all.filter((p) => p.productName.toLowerCase().includes(f) || p.productId.toLowerCase().includes(f));
}

export function ProductPicker({ title, initialFilter = '', allowSkip, onPick, onBack }: {
  title: string; initialFilter?: string; allowSkip: boolean; onPick: (p: PickedProduct | undefined) => void; onBack: () => void;
}) {
  const { client } = useWizard();
  const run = useAbortableRun();
  const [state, setState] = useState<{ s: 'loading' } | { s: 'failed'; error: unknown } | { s: 'ready'; all: PickedProduct[] }>({ s: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: one load per attempt
  useEffect(() => {
    let live = true;
    setState({ s: 'loading' });
    run((signal) => loadProducts(client, signal)).then(
      (all) => { if (live) setState({ s: 'ready', all }); },
      (error: unknown) => { if (live) setState({ s: 'failed', error }); },
    );
    return () => { live = false; };
  }, [attempt]);

  if (state.s === 'loading') return <Loading title={title} onBack={onBack} />;
  if (state.s === 'failed') return <LoadFailed title={title} error={state.error} onRetry={() => setAttempt((n) => n + 1)} onBack={onBack} />;
  return <ProductList title={title} all={state.all} initialFilter={initialFilter} allowSkip={allowSkip} onPick={onPick} onBack={onBack} />;
}

function Loading({ title, onBack }: { title: string; onBack: () => void }) {
  useKeys((_i, key) => {
    if (key.escape) return onBack();
  });
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Spinner label="Loading your products and the catalogue…" />
    </Box>
  );
}

function LoadFailed({ title, error, onRetry, onBack }: { title: string; error: unknown; onRetry: () => void; onBack: () => void }) {
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.return || (input === 'r' && !key.ctrl && !key.meta)) return onRetry();
  });
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Text>Could not list the products</Text>
      <ErrorBox error={error} />
      <Hint>Enter or r to retry · Esc to go back</Hint>
    </Box>
  );
}

function ProductList({ title, all, initialFilter, allowSkip, onPick, onBack }: {
  title: string; all: PickedProduct[]; initialFilter: string; allowSkip: boolean; onPick: (p: PickedProduct | undefined) => void; onBack: () => void;
}) {
  const [filter, setFilter] = useState(initialFilter);
  const matches = filterProducts(all, filter);
  // Entry 0 is "skip" when allowed; a filter that names a product exactly highlights it.
  const exact = matches.findIndex((p) => p.productId === filter.trim() || p.productName === filter.trim());
  const offset = allowSkip ? 1 : 0;
  const [cursor, setCursor] = useState(exact >= 0 ? exact + offset : matches.length > 0 && filter.trim() !== '' ? offset : 0);
  const field = useTextField(initialFilter, (v) => {
    setFilter(v);
    // Typing narrows the list: highlight its first match (or skip when nothing matches).
    setCursor(filterProducts(all, v).length > 0 && v.trim() !== '' ? offset : 0);
  });
  const count = matches.length + offset;
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.upArrow) return void setCursor((c) => Math.max(0, c - 1));
    if (key.downArrow) return void setCursor((c) => Math.min(count - 1, c + 1));
    const step = field.feed(input, key);
    if (!step.submit) return;
    if (count === 0) return step.rest;
    const chosen = Math.min(cursor, count - 1);
    onPick(allowSkip && chosen === 0 ? undefined : matches[chosen - offset]);
    return step.rest;
  });
  const at = Math.min(cursor, Math.max(0, count - 1));
  const first = Math.max(0, Math.min(at - Math.floor(VISIBLE / 2), count - VISIBLE));
  const rows: { id: string; label: string; note: string }[] = [
    ...(allowSkip ? [{ id: '', label: 'skip — no product', note: 'the key opens nothing until you subscribe it' }] : []),
    ...matches.map((p) => ({
      id: p.productId,
      label: `${printable(p.productName || p.productId)} (${printable(p.productId)})`,
      note: `${printable(p.subscriptionCode || '?')} · ${p.own ? 'yours' : 'catalogue'}`,
    })),
  ];
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Box>
        <Text color="cyan">Filter › </Text>
        <TextFieldView field={field.shown} />
      </Box>
      {rows.slice(first, first + VISIBLE).map((r, i) => {
        const selected = first + i === at;
        return (
          <Text key={r.id} {...(selected ? { color: 'cyan' } : {})}>
            {selected ? '❯ ' : '  '}{r.label} <Text dimColor>{r.note}</Text>
          </Text>
        );
      })}
      {matches.length === 0 ? <Text dimColor>  {all.length === 0 ? 'No products visible to this account.' : 'No product matches the filter.'}</Text> : null}
      {count > VISIBLE ? <Text dimColor>  {at + 1}/{count}</Text> : null}
      <Text dimColor>PUBLIC: a subscribed key works at once. PROTECTED: the product's owner accepts each key.</Text>
      <Hint>Type to filter · ↑/↓ to move · Enter to choose · Esc to go back</Hint>
    </Box>
  );
}
