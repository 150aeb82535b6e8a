// Owns the small shared pieces of the wizard's look: header with the SANDBOX badge, spinner, hints, errors.

import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { isApiKeyError, redact } from '@apikey/core';

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

export function Hint({ children }: { children: string }) {
  return <Box marginTop={1}><Text dimColor>{children}</Text></Box>;
}

export function ErrorBox({ error }: { error: unknown }) {
  const message = redact(error instanceof Error ? error.message : String(error));
  const hint = isApiKeyError(error) && 'hint' in error && typeof error.hint === 'string' ? error.hint : undefined;
  const status = isApiKeyError(error) && error.status !== undefined ? ` (HTTP ${error.status})` : '';
  return (
    <Box flexDirection="column">
      <Text color="red">✖ {message}{status}</Text>
      {hint ? <Text color="yellow">hint: {hint}</Text> : null}
    </Box>
  );
}
