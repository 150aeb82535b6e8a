#!/usr/bin/env node
// The installed `apikey` binary: runs the prebuilt bundle (build it with `pnpm --filter @apikey/cli build`).
import '../dist/main.js';
