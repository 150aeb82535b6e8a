// `pnpm demo` as a newcomer runs it: a real process tree (demo → app child process, stand-in and emulator over
// loopback HTTP). It must exit 0 and print the conversation a person would see, with keys masked and no
// token or secret anywhere in its output.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-deno/main-e2e.ts';

function runDemo(args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/slack/scripts/demo.ts', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    encoding: 'utf8',
    timeout: 170_000,
  });
}

function expectTranscript(out: string): void {
  // Who said what, where, in order.
  const order = [
    '[#dev] Alice Kim: /apikey create billing-export',
    '[modal for Alice Kim] «Request an API key»',
    '✎ Why do you need it?: Finance needs the nightly export job (FIN-231)',
    '[#api-key-approvals] apikey:',
    '[Approve] [Deny]',
    '[DM Alice Kim ← apikey] apikey:',
    '[#api-key-approvals] Bob Lee presses [Approve]',
    '[modal for Bob Lee] «Approve API key»',
    '✎ Comment (optional): OK for the export job only',
    'Your API key billing-export was approved by @Bob Lee.',
    'Primary key',
    'delivered to @Alice Kim',
    '[#dev] Alice Kim: /apikey create scratch-test',
    '[#api-key-approvals] Bob Lee presses [Deny]',
    '✎ Reason (sent to the requester): Please use the sandbox',
    'Your API key request "scratch-test" was denied by @Bob Lee.',
    'Denied by @Bob Lee',
    '✔ NCP holds exactly one key named billing-export',
    "✔ Alice's DM carries that key's primary and secondary key",
    "✔ the app's log has no key or token",
    'demo: done',
  ];
  let at = 0;
  for (const line of order) {
    const i = out.indexOf(line, at);
    expect(i, `"${line}" after offset ${at}`).toBeGreaterThanOrEqual(0);
    at = i + line.length;
  }
  expect(out).not.toContain('✘');
  // Keys appear only masked (4 characters + …); no 40-character key, no token, no signing secret.
  expect(out).toMatch(/Primary key\n\s+│ [A-Za-z0-9]{4}…/);
  expect(out).not.toMatch(/(?<![A-Za-z0-9])[A-Za-z0-9]{40}(?![A-Za-z0-9])/);
  expect(out).not.toMatch(/xoxb-|signing-secret|SANDBOX_SECRET_KEY/);
}

describe('pnpm demo', () => {
  it('plays request → approval → key DM and a denial as two people, prints it, and exits 0 (app on Node)', () => {
    const res = runDemo();
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expectTranscript(res.stdout);
  }, 180_000);

  it('does the same with the app running on Deno', () => {
    const res = runDemo(['--deno']);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('the Slack app (deno,');
    expectTranscript(res.stdout);
  }, 180_000);
});
