#!/usr/bin/env node
// The installed `apikey` binary: runs the prebuilt bundle (build it with `pnpm --filter @apikey/cli build`).
// CommonJS on purpose: Node sets up its ES module loader only when a command loads a lazy part, never for --help.
require('../dist/main.cjs');
