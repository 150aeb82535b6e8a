// Owns choosing products in the wizard: the account's own products and the published catalogue in one list
// (an own product that is also published is listed once, as own), filtered as the user types, ↑/↓ to move,
// Enter to choose. The create flow puts a "skip — no product" entry first and lets several be ticked with Tab
// (as fzf's multi-select does; Space belongs to the filter, product names have spaces); the subscribe action
// picks one.
// Loading and NCP errors are states of their own (r retries). Names and ids come from NCP: drawn through printable().

import { printable } from '@apikey/core/lite';
import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
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

/** Where the highlight starts: on the product the filter names exactly, else the first match, else skip. */
function initialCursor(all: readonly PickedProduct[], filter: string, offset: number): number {
  const matches = filterProducts(all, filter);
  const exact = matches.findIndex((p) => p.productId === filter.trim() || p.productName === filter.trim());
  return exact >= 0 ? exact + offset : matches.length > 0 && filter.trim() !== '' ? offset : 0;
}

/** One product (undefined: skip), or — `multi` — every product ticked (none: skip). */
type PickerChoice =
  | { multi?: false; onPick: (p: PickedProduct | undefined) => void }
  | { multi: true; onPickMany: (ps: PickedProduct[]) => void; initialTicked?: readonly string[] };

type PickerProps = { title: string; initialFilter?: string; allowSkip: boolean; onBack: () => void } & PickerChoice;

/** The products named by `refs` (id, or exact name), and the refs that name none. */
export function resolveRefs(all: readonly PickedProduct[], refs: readonly string[]): { found: PickedProduct[]; missing: string[] } {
  const found: PickedProduct[] = [];
  const missing: string[] = [];
  for (const ref of refs) {
    const p = all.find((x) => x.productId === ref) ?? all.find((x) => x.productName === ref);
    if (p === undefined) missing.push(ref);
    else if (!found.includes(p)) found.push(p);
  }
  return { found, missing };
}

export function ProductPicker(props: PickerProps) {
  const { title, onBack } = props;
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
  return <ProductList {...props} all={state.all} />;
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

function ProductList(props: PickerProps & { all: PickedProduct[] }) {
  const { title, all, allowSkip, onBack } = props;
  const multi = props.multi === true;
  const initialFilter = props.initialFilter ?? '';
  const offset = allowSkip ? 1 : 0;
  const initialTicked = props.multi === true ? resolveRefs(all, props.initialTicked ?? []) : { found: [], missing: [] };
  // Cursor and ticks live in refs (authoritative, like the text field's value), so keys that arrive together —
  // a paste, or ↑ then Tab before React re-renders — each see the previous one's effect; state mirrors them.
  const cursorRef = useRef(initialCursor(all, initialFilter, offset));
  const [cursor, setCursor] = useState(cursorRef.current);
  const moveTo = (c: number) => { cursorRef.current = c; setCursor(c); };
  const tickedRef = useRef<string[]>(initialTicked.found.map((p) => p.productId));
  const [ticked, setTicked] = useState(tickedRef.current);
  const field = useTextField(initialFilter, (v) => {
    // Typing narrows the list: highlight its first match (or skip when nothing matches).
    moveTo(filterProducts(all, v).length > 0 && v.trim() !== '' ? offset : 0);
  });
  /** The list and the highlighted row as of every key handled so far. */
  const view = (filter: string, c: number) => {
    const matches = filterProducts(all, filter);
    const count = matches.length + offset;
    const at = Math.min(c, Math.max(0, count - 1));
    return { matches, count, at, highlighted: allowSkip && at === 0 ? undefined : matches[at - offset] };
  };
  useKeys((input, key) => {
    if (key.escape) return onBack();
    const now = view(field.value(), cursorRef.current);
    if (key.upArrow) return moveTo(Math.max(0, now.at - 1));
    if (key.downArrow) return moveTo(Math.min(now.count - 1, now.at + 1));
    if (multi && key.tab) {
      if (now.highlighted !== undefined) {
        const id = now.highlighted.productId;
        const t = tickedRef.current;
        tickedRef.current = t.includes(id) ? t.filter((x) => x !== id) : [...t, id];
        setTicked(tickedRef.current);
      }
      return;
    }
    const step = field.feed(input, key);
    if (!step.submit) return;
    const at = view(field.value(), cursorRef.current);
    if (props.multi === true) {
      // Ticked products win; with none ticked, Enter takes the highlighted row as a single pick would.
      const chosen = tickedRef.current.length > 0
        ? tickedRef.current.map((id) => all.find((p) => p.productId === id)).filter((p) => p !== undefined)
        : at.highlighted !== undefined ? [at.highlighted] : [];
      if (chosen.length > 0 || at.count > 0) props.onPickMany(chosen);
      return step.rest;
    }
    if (at.count > 0) props.onPick(at.highlighted);
    return step.rest;
  });
  const { matches, count, at } = view(field.shown.value, cursor);
  const missing = initialTicked.missing;
  const first = Math.max(0, Math.min(at - Math.floor(VISIBLE / 2), count - VISIBLE));
  const rows: { id: string; label: string; note: string }[] = [
    ...(allowSkip ? [{ id: '', label: 'skip — no product', note: 'the key opens nothing until you subscribe it' }] : []),
    ...matches.map((p) => ({
      id: p.productId,
      label: `${multi ? (ticked.includes(p.productId) ? '[x] ' : '[ ] ') : ''}${printable(p.productName || p.productId)} (${printable(p.productId)})`,
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
      {ticked.length > 0 ? <Text color="cyan">Ticked: {ticked.length} — Enter creates the key for {ticked.length === 1 ? 'it' : 'all of them'}</Text> : null}
      {missing.length > 0 ? <Text color="yellow">Not found: {missing.map((m) => printable(m)).join(', ')}</Text> : null}
      <Text dimColor>PUBLIC: a subscribed key works at once. PROTECTED: the product's owner accepts each key.</Text>
      <Hint>{multi ? 'Type to filter · ↑/↓ to move · Tab to tick several · Enter to choose · Esc to go back' : 'Type to filter · ↑/↓ to move · Enter to choose · Esc to go back'}</Hint>
    </Box>
  );
}
