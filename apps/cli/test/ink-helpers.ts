// Helpers for ink-testing-library tests: a visible frame does not mean the new step's input handler is armed, so
// wait for the frame, then one macrotask before the next write.

import { expect, vi } from 'vitest';

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
export const plain = (s = '') => s.replace(/\u001B\[[0-9;]*[A-Za-z]/g, '');

export async function until(frame: () => string | undefined, text: string | RegExp): Promise<void> {
  await vi.waitFor(() => {
    const f = plain(frame());
    if (typeof text === 'string') expect(f).toContain(text);
    else expect(f).toMatch(text);
  }, { timeout: 3000, interval: 5 });
  await tick();
}

export const KEYS = { enter: '\r', esc: '\u001B', backspace: '\u007F', up: '\u001B[A', down: '\u001B[B', ctrlC: '\u0003', tab: '\t' } as const;
