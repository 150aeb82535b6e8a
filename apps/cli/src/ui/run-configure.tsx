// Owns mounting the configure form in the real terminal and handing back what was typed (undefined on Ctrl+C).

import { render } from 'ink';
import { ConfigureForm, type ConfigureResult } from './configure-form.tsx';

export async function runConfigureForm(o: { profile: string; path: string }): Promise<ConfigureResult> {
  let result: ConfigureResult;
  const app = render(<ConfigureForm profile={o.profile} path={o.path} onDone={(r) => { result = r; }} />, { exitOnCtrlC: false, patchConsole: false });
  await app.waitUntilExit();
  return result;
}
