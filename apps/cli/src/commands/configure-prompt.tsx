// Owns drawing the masked configure form on a chosen terminal stream: stdout normally, stderr when stdout is
// piped, so the secret is typed masked whenever stdin is a terminal. Loaded only by `apikey configure`.

import { render } from 'ink';
import { ConfigureForm, type ConfigureResult } from '../ui/configure-form.tsx';

export async function promptOn(screen: NodeJS.WriteStream, o: { profile: string; path: string }): Promise<ConfigureResult> {
  let result: ConfigureResult;
  const app = render(<ConfigureForm profile={o.profile} path={o.path} onDone={(r) => { result = r; }} />, { stdout: screen, exitOnCtrlC: false, patchConsole: false });
  await app.waitUntilExit();
  return result;
}
