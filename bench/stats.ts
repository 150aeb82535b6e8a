// Small helpers the Slack benchmarks share: percentiles of sorted samples, one number format, and polling.

/** The p-th percentile (nearest rank) of already sorted samples. */
export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export const fmt = (n: number) => n.toFixed(1);

/** Polls `probe` every `everyMs` until it gives a value; throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000, everyMs = 2): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
