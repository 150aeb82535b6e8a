// Owns mounting the wizard in the real terminal: Ink with our own Ctrl+C handling (exitOnCtrlC off, so it
// exits 130 rather than Ink's 0), a width fallback for size-less ptys, and sandbox demo keys.

import process from 'node:process';
import { render } from 'ink';
import type { WizardRoute } from '../commands/run.ts';
import { App } from './app.tsx';
import type { WizardClient } from './wizard-context.tsx';

export async function runWizardApp(o: { client: WizardClient; sandbox: boolean; endpoint: string; route: WizardRoute }): Promise<number> {
  // A pty with no window size reports 0 columns and Ink would draw one character per line.
  if (!process.stdout.columns) process.stdout.columns = 80;
  if (o.sandbox) await seedSandbox(o.client);
  let code = 0;
  const app = render(
    <App client={o.client} sandbox={o.sandbox} endpoint={o.endpoint} route={o.route} onExit={(c) => { code = c; }} />,
    { exitOnCtrlC: false, patchConsole: false },
  );
  await app.waitUntilExit();
  return code;
}

/** The sandbox starts with a few keys so list, rotate and delete have something to show. */
async function seedSandbox(client: WizardClient): Promise<void> {
  const samples = [
    { apiKeyName: 'web-frontend', apiKeyDescription: 'example key for the web app' },
    { apiKeyName: 'batch-jobs', apiKeyDescription: 'nightly exports' },
    { apiKeyName: 'partner-acme', apiKeyDescription: '' },
  ];
  for (const s of samples) await client.createApiKey(s);
}
