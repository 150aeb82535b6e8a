// Owns the small shared pieces of the wizard's look: header with the SANDBOX badge, spinner (and the request
// step behind one), hints, errors, and how a key is named on screen. Text that came from NCP (names,
// descriptions, error messages) is drawn through printable(), so a stored escape sequence is shown, not run.

import type { ApiKey } from '@apikey/core';
import { isApiKeyError, printable, redact } from '@apikey/core/lite';
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useKeys } from './input-router.tsx';
import { useAbortableRun, useWizard, type WizardClient } from './wizard-context.tsx';

/** The App's side padding: one column each side, none on a narrow terminal (see contentWidth). */
export const sidePadding = (columns: number | undefined): number => ((columns || 80) >= 60 ? 1 : 0);

/** Columns a screen can draw in: a 40-column terminal keeps all 40, so a 40-character key value fits one line. */
export const contentWidth = (columns: number | undefined): number => (columns || 80) - 2 * sidePadding(columns);

/** `"name" (id)`, safe to print; a key without a name is shown by its id alone. */
export function keyLabel(k: Pick<ApiKey, 'apiKeyId' | 'apiKeyName'>): string {
  return k.apiKeyName ? `"${printable(k.apiKeyName)}" (${printable(k.apiKeyId)})` : printable(k.apiKeyId);
}

export function Header({ sandbox, endpoint, title }: { sandbox: boolean; endpoint: string; title: string }) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text bold color="cyan">apikey</Text>
        <Text> · {title}</Text>
        {sandbox ? <Text> <Text inverse color="yellow" bold> SANDBOX </Text></Text> : null}
      </Text>
      <Text dimColor>{sandbox ? 'in-process NCP emulator: nothing leaves this machine' : printable(endpoint)}</Text>
    </Box>
  );
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({ label }: { label: string }) {
  const [i, setI] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setI((n) => (n + 1) % FRAMES.length), 80);
    return () => clearInterval(t);
  }, []);
  return <Text><Text color="cyan">{FRAMES[i]}</Text> {label}</Text>;
}

/** One request started on mount behind a spinner; keys are swallowed meanwhile, Ctrl+C and unmounting abort it. */
export function RequestStep<T>({ label, request, onDone, onFailed }: {
  label: string; request: (client: WizardClient, signal: AbortSignal) => Promise<T>; onDone: (v: T) => void; onFailed: (e: unknown) => void;
}) {
  const { client } = useWizard();
  const run = useAbortableRun();
  useKeys(() => undefined); // Ctrl+C still reaches the router
  // biome-ignore lint/correctness/useExhaustiveDependencies: one request per mount; new callback props on re-render must not start another
  useEffect(() => {
    let live = true;
    run((signal) => request(client, signal)).then((v) => { if (live) onDone(v); }, (e: unknown) => { if (live) onFailed(e); });
    return () => { live = false; };
  }, []);
  return <Spinner label={label} />;
}

export function Hint({ children }: { children: string }) {
  return <Box marginTop={1}><Text dimColor>{children}</Text></Box>;
}

export function ErrorBox({ error }: { error: unknown }) {
  const raw = error instanceof Error ? error.message : String(error);
  const message = printable(redact(raw));
  const known = isApiKeyError(error) ? error : undefined;
  const hint = known && 'hint' in known && typeof known.hint === 'string' ? known.hint : undefined;
  const status = known?.status !== undefined ? ` (HTTP ${known.status})` : '';
  return (
    <Box flexDirection="column">
      <Text color="red">✖ {message}{status}</Text>
      {hint ? <Text color="yellow">hint: {printable(hint)}</Text> : null}
    </Box>
  );
}

/** An error from a request, dismissed with Enter or Esc. */
export function Failure({ title, error, onBack }: { title?: string; error: unknown; onBack: () => void }) {
  useKeys((_input, key) => {
    if (key.escape || key.return) return onBack();
  });
  return (
    <Box flexDirection="column">
      {title ? <Text bold>{title}</Text> : null}
      <ErrorBox error={error} />
      <Hint>Enter or Esc to go back</Hint>
    </Box>
  );
}
