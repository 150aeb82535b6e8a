// A real terminal for end-to-end tests: each session runs one command in its own tmux window of a given size on
// a private tmux server, prints EXIT=<code> when the command ends, and is read back with capture-pane.

import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { REPO_ROOT } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type TmuxSession = {
  /** The screen; `joined` undoes the terminal's own line wrapping (capture-pane -J). */
  screen(joined?: boolean): string;
  /** Resolves with the screen once it shows `text`, a moment after (so the new step's input handler is armed). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Literal text, sent as one chunk. */
  type(text: string): void;
  /** tmux key names (Left, Home, BSpace, DC, C-u, Enter …), each sent as its own key press. */
  press(...keys: string[]): Promise<void>;
};

export function createTmux() {
  const socket = `apikey-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  let n = 0;
  return {
    tmux,
    /** Runs `command` (a shell line) with exactly `env` in a new cols×rows session. */
    open(command: string, env: Record<string, string>, o: { cols?: number; rows?: number } = {}): TmuxSession & { name: string } {
      const name = `s${++n}`;
      const started = tmux('new-session', '-d', '-s', name, '-x', String(o.cols ?? 100), '-y', String(o.rows ?? 30), '-c', REPO_ROOT,
        ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), `${command}; echo "EXIT=$?"; sleep 60`);
      expect(started.status, started.stderr).toBe(0);
      const screen = (joined = false) => tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', name).stdout;
      return {
        name,
        screen,
        async waitFor(text, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const s = screen();
            if (typeof text === 'string' ? s.includes(text) : text.test(s)) {
              await sleep(60);
              return s;
            }
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen was:\n${s}`);
            await sleep(40);
          }
        },
        type: (text) => void tmux('send-keys', '-t', name, '-l', text),
        async press(...keys) {
          for (const k of keys) {
            tmux('send-keys', '-t', name, k);
            await sleep(30);
          }
        },
      };
    },
    kill: () => void tmux('kill-server'),
  };
}
