// Owns how a key's identity and secret values are laid out on a result screen. A key value is never broken
// across lines: when the label and the value do not fit one line, the value gets a line of its own at column 0,
// so it can be selected and copied in one piece even on a 40-column terminal.

import type { ApiKey } from '@apikey/core';
import { printable } from '@apikey/core/lite';
import { Box, Text, useStdout } from 'ink';
import { contentWidth } from './widgets.tsx';

const LABEL_WIDTH = 17;

export function KeyValues({ apiKey, show }: { apiKey: ApiKey; show: readonly ('PRIMARY' | 'SECONDARY')[] }) {
  const { stdout } = useStdout();
  const width = contentWidth(stdout.columns);
  const row = (label: string, value: string | undefined) => {
    const v = value ?? '(not returned)';
    const labelText = `  ${label}`.padEnd(LABEL_WIDTH);
    if (LABEL_WIDTH + v.length <= width) return <Text key={label}>{labelText}<Text bold>{v}</Text></Text>;
    return (
      <Box key={label} flexDirection="column">
        <Text>{`  ${label}`}</Text>
        <Text bold>{v}</Text>
      </Box>
    );
  };
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>{'  ID'.padEnd(LABEL_WIDTH)}{printable(apiKey.apiKeyId)}</Text>
      <Text>{'  Name'.padEnd(LABEL_WIDTH)}{printable(apiKey.apiKeyName ?? '')}</Text>
      {show.includes('PRIMARY') ? row('Primary key', apiKey.primaryKey) : null}
      {show.includes('SECONDARY') ? row('Secondary key', apiKey.secondaryKey) : null}
    </Box>
  );
}
