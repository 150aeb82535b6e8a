// Call counters of the data plane per (API key, stage): the current second, UTC day and UTC month, which is what
// a usage plan's rateRps, dayQuotaRequest and monthQuotaRequest limit (windows start at the calendar boundary).

export type UsageWindow = { second: number; secondCount: number; day: string; dayCount: number; month: string; monthCount: number };

export type UsageCounters = ReturnType<typeof createUsageCounters>;

export function createUsageCounters() {
  const counters = new Map<string, UsageWindow>();
  const keyOf = (apiKeyId: string, stageId: string): string => `${apiKeyId}\u0000${stageId}`;

  /** The counters as of `nowMs`, with any window that has passed started afresh. */
  function current(apiKeyId: string, stageId: string, nowMs: number): UsageWindow {
    const iso = new Date(nowMs).toISOString();
    const second = Math.floor(nowMs / 1000);
    const day = iso.slice(0, 10);
    const month = iso.slice(0, 7);
    const k = keyOf(apiKeyId, stageId);
    const w = counters.get(k) ?? { second, secondCount: 0, day, dayCount: 0, month, monthCount: 0 };
    if (w.second !== second) Object.assign(w, { second, secondCount: 0 });
    if (w.day !== day) Object.assign(w, { day, dayCount: 0 });
    if (w.month !== month) Object.assign(w, { month, monthCount: 0 });
    counters.set(k, w);
    return w;
  }

  return {
    current,
    count(w: UsageWindow): void {
      w.secondCount++;
      w.dayCount++;
      w.monthCount++;
    },
    reset: (): void => counters.clear(),
  };
}
