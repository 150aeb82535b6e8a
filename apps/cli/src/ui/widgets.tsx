// Owns the small shared pieces of the wizard's look: header with the SANDBOX badge, spinner (and the request
// step behind one), hints, errors.

import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { useKeys } from './input-router.tsx';
import { useAbortableRun, useWizard, type WizardClient } from './wizard-context.tsx';

export function Header({ sandbox, endpoint, title }: { sandbox: boolean; endpoint: string; title: string }) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text bold color="cyan">apikey</Text>
        <Text> · {title}</Text>
        {sandbox ? <Text> <Text inverse color="yellow" bold> SANDBOX </Text></Text> : null}
      </Text>
      <Text dimColor>{sandbox ? 'in-process NCP emulator: nothing leaves this machine' : endpoint}</Text>
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
  const { core } = useWizard();
  const raw = error instanceof Error ? error.message : String(error);
  // Errors come from the client, so core has loaded; without it, say less rather than risk an unredacted line.
  const message = core ? core.redact(raw) : 'request failed';
  const known = core?.isApiKeyError(error) ? error : undefined;
  const hint = known && 'hint' in known && typeof known.hint === 'string' ? known.hint : undefined;
  const status = known?.status !== undefined ? ` (HTTP ${known.status})` : '';
  return (
    <Box flexDirection="column">
      <Text color="red">✖ {message}{status}</Text>
      {hint ? <Text color="yellow">hint: {hint}</Text> : null}
    </Box>
  );
}
