// Vitest for the Slack app: end-to-end tests over real loopback HTTP (Bolt app, Slack stand-in, NCP emulator).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file starts its own servers on port 0; two workers keep the 2-core CI busy without thrashing.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
