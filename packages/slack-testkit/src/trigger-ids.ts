// trigger_id issuance and exchange: single use, valid for 3 seconds on an injectable clock
// (https://docs.slack.dev/interactivity/handling-user-interaction/).

export const TRIGGER_TTL_MS = 3000;
const FORMAT = /^\d+\.\d+\.[0-9a-f]+$/;

export type TriggerContext = { userId: string; viewId?: string };
type Trigger = TriggerContext & { issuedAt: number; used: boolean };

export type TriggerExchange =
  | { ok: true; trigger: TriggerContext }
  | { ok: false; error: 'invalid_trigger_id' | 'exchanged_trigger_id' | 'expired_trigger_id' };

export function createTriggerRegistry(now: () => number) {
  const triggers = new Map<string, Trigger>();
  let seq = 0;

  function issue(ctx: TriggerContext): string {
    seq += 1;
    let hex = '';
    for (let i = 0; i < 32; i++) hex += Math.floor(Math.random() * 16).toString(16);
    const id = `${100_000 + seq}.${Math.floor(now() / 1000)}.${hex}`;
    triggers.set(id, { ...ctx, issuedAt: now(), used: false });
    return id;
  }

  function exchange(id: unknown): TriggerExchange {
    if (typeof id !== 'string' || !FORMAT.test(id)) return { ok: false, error: 'invalid_trigger_id' };
    const t = triggers.get(id);
    if (!t) return { ok: false, error: 'invalid_trigger_id' };
    if (t.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (now() - t.issuedAt > TRIGGER_TTL_MS) return { ok: false, error: 'expired_trigger_id' };
    t.used = true;
    const out: TriggerContext = { userId: t.userId };
    if (t.viewId !== undefined) out.viewId = t.viewId;
    return { ok: true, trigger: out };
  }

  return { issue, exchange, clear: () => triggers.clear() };
}
export type TriggerRegistry = ReturnType<typeof createTriggerRegistry>;
