// Vitest for the CLI. CI is forced to 'false' because Ink renders only the last frame when CI is set
// (its is-in-ci check); the global setup builds the bundle once so subprocess tests share it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    env: { CI: 'false' },
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
