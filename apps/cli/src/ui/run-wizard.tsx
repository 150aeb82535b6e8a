// Owns mounting the wizard in the real terminal. Ink renders the first frame at once; core, credentials and
// the client load right after it, behind lazyClient (zod's start-up alone is tens of ms), and a credentials
// problem unmounts the app and exits 2. What the first frame itself needs (validation, printable) comes from
// the zod-free @apikey/core/lite. Our own Ctrl+C handling (exitOnCtrlC off) makes Ctrl+C exit 130, not Ink's 0.

import process from 'node:process';
import { render } from 'ink';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import type { WizardRoute } from '../wizard-route.ts';
import { App } from './app.tsx';
import { lazyClient } from './lazy-client.ts';
import type { WizardClient } from './wizard-context.tsx';

type Loaded = { client: WizardClient; endpoint: string };

export async function runWizardApp(o: { args: ParsedArgs; io: Io; route: WizardRoute }): Promise<number> {
  // A pty with no window size reports 0 columns and Ink would draw one character per line.
  if (!process.stdout.columns) process.stdout.columns = 80;
  let resolveLoaded!: (l: Loaded) => void;
  let rejectLoaded!: (e: unknown) => void;
  const loaded = new Promise<Loaded>((res, rej) => { resolveLoaded = res; rejectLoaded = rej; });
  // Each derived promise gets a no-op catch: a load failure is reported once, below, not as unhandled rejections.
  const part = <T,>(pick: (l: Loaded) => T): Promise<T> => {
    const p = loaded.then(pick);
    p.catch(() => undefined);
    return p;
  };
  let code = 0;
  let failure: unknown;
  const app = render(
    <App client={lazyClient(part((l) => l.client))} sandbox={o.args.global.sandbox}
      endpoint={part((l) => l.endpoint)} route={o.route} onExit={(c) => { code = c; }} />,
    { exitOnCtrlC: false, patchConsole: false },
  );
  // After the first frame is on screen (Ink writes it synchronously in render()).
  load(o.args, o.io).then(resolveLoaded, (e: unknown) => {
    failure = e;
    rejectLoaded(e);
    app.clear();
    app.unmount();
  });
  await app.waitUntilExit();
  if (failure !== undefined) {
    const { reportError } = await import('../commands/errors.ts');
    return reportError(o.io, failure, false);
  }
  return code;
}

async function load(args: ParsedArgs, io: Io): Promise<Loaded> {
  const [{ setupClient }, { createKeyWithProducts }, { createJournalFor, createPlainKey }] = await Promise.all([
    import('../commands/client.ts'), import('../commands/products.ts'), import('../commands/create-journal.ts'),
  ]);
  const setup = await setupClient(args.global, io);
  if (setup.sandbox) await seedSandbox(setup.client);
  // Ink owns the terminal: a resumed create is not announced on stderr, where it would tear the frame.
  const journal = { ...createJournalFor(setup, io), note: () => {} };
  const client: WizardClient = {
    ...setup.client,
    createKey: (input, o) => createPlainKey(setup.client, input, o.signal, journal),
    createKeyWithProducts: (input, refs, o) => createKeyWithProducts(setup.client, input, refs, o.signal, journal),
  };
  return { client, endpoint: setup.endpoint };
}

/** The sandbox starts with a few keys so list, rotate and delete have something to show. */
async function seedSandbox(client: Pick<WizardClient, 'createApiKey'>): Promise<void> {
  const samples = [
    { apiKeyName: 'web-frontend', apiKeyDescription: 'example key for the web app' },
    { apiKeyName: 'batch-jobs', apiKeyDescription: 'nightly exports' },
    { apiKeyName: 'partner-acme', apiKeyDescription: '' },
  ];
  for (const s of samples) await client.createApiKey(s);
}
