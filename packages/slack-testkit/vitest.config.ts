// Vitest for the Slack test kit: only test/ — test-deno/ holds `deno test` files that use the Deno global.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
  },
});
