// Runs one pass of a background job now and then again `intervalMs` after each pass ends (never two passes at
// once), logging a failed pass instead of stopping; stop() waits for the pass in progress. The sweepers use it.
export type Periodic = { start(): void; stop(): Promise<void> };

export function createPeriodic(pass: () => Promise<unknown>, o: { intervalMs: number; onError: (err: unknown) => void }): Periodic {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<unknown> | undefined;
  let running = false;
  const tick = () => {
    current = pass()
      .catch(o.onError)
      .finally(() => { if (running) timer = setTimeout(tick, o.intervalMs); });
  };
  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      await current;
    },
  };
}
