// Abortable waits used by latency injection and commit-then-fail hangs.

/**
 * Resolves after `ms`, or early when `signal` aborts. With `unref`, a pending wait does not keep the process
 * alive (a hung request must not stop a test runner from exiting).
 */
export function sleep(ms: number, signal?: AbortSignal, unref = false): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    if (unref) unrefTimer(timer);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer) {
    timer.unref();
    return;
  }
  // Deno's setTimeout returns a number; it exposes unrefTimer on the Deno namespace.
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof timer === 'number') deno?.unrefTimer?.(timer);
}
