// The root `pnpm cli` entry (scripts/run.mjs): it must behave exactly like the binary — only the CLI's
// output on stdout and the CLI's exit status — because scripts pipe `pnpm cli … --json` into other tools.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ROOT, REPO_ROOT, envFor, startEmulator, tempHome, type RunResult, type Served } from './helpers.ts';

const RUN = join(CLI_ROOT, 'scripts', 'run.mjs');

function runScript(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: tempHome(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('scripts/run.mjs (pnpm cli)', () => {
  let server: Served;
  beforeAll(async () => { server = await startEmulator(); });
  afterAll(async () => { await server.close(); });

  it('creates a key and prints only the flat key object as JSON', async () => {
    const r = await runScript(['create', '--name', 'run-script', '--description', 'via pnpm cli', '--json'], envFor(server));
    expect(r.code).toBe(0);
    const key = JSON.parse(r.stdout) as { apiKeyId: string; apiKeyName: string; primaryKey: string };
    expect(key.apiKeyName).toBe('run-script');
    expect(key.primaryKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(server.emulator.inspect.keys().map((k) => k.apiKeyId)).toContain(key.apiKeyId);
  });

  it('passes the CLI exit status through: a 21-character name exits 2 and sends nothing', async () => {
    const before = server.emulator.inspect.requests().length;
    const r = await runScript(['create', '--name', 'x'.repeat(21), '--json'], envFor(server));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.message).toMatch(/name/i);
    expect(server.emulator.inspect.requests().length).toBe(before);
  });
});
