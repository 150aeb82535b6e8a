// Owns the scrollable, filterable list of keys (arrows, PgUp/PgDn, Home/End; typing filters by name or id).
// Used for browsing (Enter opens the details) and as the picker for rotate and delete. Names and descriptions
// are NCP's text and are drawn through printable().

import type { ApiKey } from '@apikey/core';
import { printable } from '@apikey/core/lite';
import { Box, Text, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { useKeys } from './input-router.tsx';
import { applyInput, fieldOf } from './text-field.ts';
import { ErrorBox, Hint, Spinner } from './widgets.tsx';
import { useAbortableRun, useWizard } from './wizard-context.tsx';

type Load = { state: 'loading' } | { state: 'ready'; keys: ApiKey[] } | { state: 'failed'; error: unknown };

export function filterKeys(keys: readonly ApiKey[], filter: string): ApiKey[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return [...keys];
  // Matched against the name as shown (printable), since that is what a person can type.
  return keys.filter((k) => printable(k.apiKeyName ?? '').toLowerCase().includes(f) || k.apiKeyId.toLowerCase().includes(f));
}

export function KeyList({ title, onPick, onBack, pickHint = 'Enter to pick' }: {
  title: string; onPick: (k: ApiKey) => void; onBack: () => void; pickHint?: string;
}) {
  const { client } = useWizard();
  const run = useAbortableRun();
  const { stdout } = useStdout();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [filter, setFilter] = useState('');
  const [cursor, setCursor] = useState(0);
  const [top, setTop] = useState(0);
  const height = Math.max(3, (stdout.rows || 24) - 12);

  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once on mount; a re-render must not refetch
  useEffect(() => {
    let live = true;
    run(async (signal) => {
      const keys: ApiKey[] = [];
      for await (const k of client.iterateApiKeys({}, { signal })) keys.push(k);
      return keys;
    }).then(
      (keys) => { if (live) setLoad({ state: 'ready', keys }); },
      (error: unknown) => { if (live) setLoad({ state: 'failed', error }); },
    );
    return () => { live = false; };
  }, []);

  const visible = load.state === 'ready' ? filterKeys(load.keys, filter) : [];
  const move = (to: number) => {
    const c = Math.max(0, Math.min(visible.length - 1, to));
    setCursor(c);
    setTop((t) => (c < t ? c : c >= t + height ? c - height + 1 : t));
  };

  useKeys((input, key) => {
    if (key.escape) {
      if (filter !== '') { setFilter(''); setCursor(0); setTop(0); return; }
      return onBack();
    }
    if (load.state !== 'ready') return;
    if (key.upArrow) return move(cursor - 1);
    if (key.downArrow) return move(cursor + 1);
    if (key.pageUp) return move(cursor - height);
    if (key.pageDown) return move(cursor + height);
    if (key.home) return move(0);
    if (key.end) return move(visible.length - 1);
    if (key.return) {
      const picked = visible[cursor];
      if (picked) onPick(picked);
      return;
    }
    if (key.leftArrow || key.rightArrow) return;
    const next = applyInput(fieldOf(filter), input, key).state.value;
    if (next !== filter) { setFilter(next); setCursor(0); setTop(0); }
  });

  if (load.state === 'loading') return <Spinner label="Loading API keys…" />;
  if (load.state === 'failed') {
    return <Box flexDirection="column"><ErrorBox error={load.error} /><Hint>Esc to go back</Hint></Box>;
  }
  const width = (stdout.columns || 80) - 4;
  const shown = visible.slice(top, top + height);
  return (
    <Box flexDirection="column">
      <Text bold>{title}</Text>
      <Text>Filter: {filter === '' ? <Text dimColor>type to filter by name or id</Text> : filter}</Text>
      <Text dimColor>  {'ID'.padEnd(12)}{'NAME'.padEnd(22)}{'ON '.padEnd(5)}DESCRIPTION</Text>
      {shown.length === 0 ? <Text dimColor>  {load.keys.length === 0 ? 'No API keys yet.' : 'No key matches the filter.'}</Text> : null}
      {shown.map((k, i) => {
        const selected = top + i === cursor;
        const line = `${pad(printable(k.apiKeyId), 12)}${pad(printable(k.apiKeyName ?? ''), 22)}${(k.isEnabled === false ? 'no' : 'yes').padEnd(5)}${printable(k.apiKeyDescription ?? '')}`;
        return <Text key={k.apiKeyId} inverse={selected}>{selected ? '› ' : '  '}{truncate(line, width)}</Text>;
      })}
      <Text dimColor>{visible.length === 0 ? '' : `${cursor + 1}/${visible.length}`}{filter !== '' ? ` (filtered from ${load.keys.length})` : ''}</Text>
      <Hint>{`↑/↓ PgUp/PgDn to scroll · type to filter · ${pickHint} · Esc to go back`}</Hint>
    </Box>
  );
}

function pad(s: string, n: number): string {
  const cps = Array.from(s);
  return cps.length >= n ? `${cps.slice(0, n - 2).join('')}… ` : s + ' '.repeat(n - cps.length);
}

function truncate(s: string, n: number): string {
  const cps = Array.from(s);
  return cps.length > n ? `${cps.slice(0, n - 1).join('')}…` : s;
}
