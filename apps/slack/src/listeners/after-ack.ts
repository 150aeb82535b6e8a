// Holds back the Web API call that follows an ack (views.open with the trigger id) while this process is in the
// middle of a burst of incoming requests: until every request it has received is answered and none has arrived
// for `quietMs`. Otherwise each acked request's views.open spends its CPU (~0.7 ms through @slack/web-api) ahead
// of the acks of requests read a moment later, and the ack is what Slack enforces first. The wait is capped
// (`maxWaitMs`, well inside the trigger's 3 s), so under sustained load the call still goes out in time.
import { setImmediate } from 'node:timers';

export type AfterAck = {
  /** Runs `job` once the burst of incoming requests is answered (or after `maxWaitMs`), a loop turn at the least. */
  run<T>(job: () => Promise<T>): Promise<T>;
};

export type IncomingTracker = {
  /** Call from the HTTP server's 'request' event. */
  received(res: { once(event: 'finish' | 'close', listener: () => void): unknown }): void;
  unanswered(): number;
  /** Time of the last received request, on the `now` clock (-Infinity before the first). */
  lastArrival(): number;
};

export function createIncomingTracker(now: () => number = () => performance.now()): IncomingTracker {
  let unanswered = 0;
  let last = -Infinity;
  return {
    received(res) {
      unanswered++;
      last = now();
      let done = false;
      const answered = () => { if (!done) { done = true; unanswered--; } };
      res.once('finish', answered);
      res.once('close', answered);
    },
    unanswered: () => unanswered,
    lastArrival: () => last,
  };
}

export function createAfterAck(opts: { incoming?: IncomingTracker; quietMs?: number; maxWaitMs?: number; now?: () => number } = {}): AfterAck {
  // 15 ms, not less: a burst's requests arrive with gaps of a few ms on a busy machine, and a shorter window
  // let views.open start mid-burst (bench: ratio ≤ 1.3 in 7 of 11 runs at 5 ms, 8 of 8 at 15 ms). A person
  // does not notice a modal opening 15 ms later.
  const quietMs = opts.quietMs ?? 15;
  const maxWaitMs = opts.maxWaitMs ?? 250;
  const now = opts.now ?? (() => performance.now());
  const { incoming } = opts;
  const busy = (): boolean => incoming !== undefined && (incoming.unanswered() > 0 || now() - incoming.lastArrival() < quietMs);
  return {
    run<T>(job: () => Promise<T>): Promise<T> {
      const deadline = now() + maxWaitMs;
      return new Promise<void>((resolve) => {
        // The first check runs in the check phase, after a poll phase has read (and acked) whatever had
        // arrived; while still busy, re-check on a 1 ms timer rather than every loop turn, so waiting jobs
        // do not spin the loop (and a core) during the very burst they are waiting out.
        const check = (): void => {
          if (!busy() || now() >= deadline) resolve();
          else setTimeout(check, 1);
        };
        setImmediate(check);
      }).then(job);
    },
  };
}
