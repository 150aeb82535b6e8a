// Owns how a key's identity and secret values are laid out on a result screen.

import type { ApiKey } from '@apikey/core';
import { Box, Text } from 'ink';

export function KeyValues({ apiKey, show }: { apiKey: ApiKey; show: readonly ('PRIMARY' | 'SECONDARY')[] }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>  ID             {apiKey.apiKeyId}</Text>
      <Text>  Name           {apiKey.apiKeyName ?? ''}</Text>
      {show.includes('PRIMARY') ? <Text>  Primary key    <Text bold>{apiKey.primaryKey ?? '(not returned)'}</Text></Text> : null}
      {show.includes('SECONDARY') ? <Text>  Secondary key  <Text bold>{apiKey.secondaryKey ?? '(not returned)'}</Text></Text> : null}
    </Box>
  );
}
