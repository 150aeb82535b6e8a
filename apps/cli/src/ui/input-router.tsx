// Owns keyboard dispatch for a whole Ink app: ONE useInput with a stable handler (so Ink 6 never re-subscribes
// and no keys fall into a gap between steps), Ctrl+C anywhere in a chunk → interrupt, and the active screen's
// handler on top of a stack. Input left over after an Enter is replayed to the next screen once it registers.
//
// Ink 6 reports both the Backspace key (DEL, 0x7f) and the Delete key (ESC [3~) as `key.delete`, so a field
// could not tell "delete before the cursor" from "delete at the cursor". The router also listens to the raw
// input events Ink parses keys from (the same per-key strings, delivered just before useInput's handler) and
// hands screens a key where Backspace is `backspace` and only the Delete key is `delete`. Escape sequences Ink
// does not name (function keys, focus reports) reach no screen as text.

import { useInput, useStdin, type Key } from 'ink';
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';

/** Returns input it did not consume (text after an Enter in the same chunk), if any. */
// biome-ignore lint/suspicious/noConfusingVoidType: most handlers return nothing; `void` lets them omit the return
export type KeyHandler = (input: string, key: Key) => string | void;

type Router = { register(h: KeyHandler): () => void };
const RouterContext = createContext<Router | null>(null);

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

export function InputRouter({ onInterrupt, children }: { onInterrupt: () => void; children: ReactNode }) {
  const stack = useRef<KeyHandler[]>([]);
  const interrupt = useRef(onInterrupt);
  interrupt.current = onInterrupt;

  // Text that followed an Enter in the same chunk waits here for the next screen's handler to register.
  const pending = useRef<{ text: string; from: KeyHandler; at: number } | null>(null);

  // The raw string of the input event being dispatched (see the header comment).
  const raw = useRef('');
  const { internal_eventEmitter: events } = useStdin();
  useLayoutEffect(() => {
    const remember = (data: string) => { raw.current = data; };
    events.on('input', remember);
    return () => void events.off('input', remember);
  }, [events]);

  const dispatch = useCallback((rawInput: string, rawKey: Key): void => {
    pending.current = null;
    const { input, key } = normalizeKey(rawInput, rawKey, raw.current);
    if ((key.ctrl && input === 'c') || input.includes('\u0003')) {
      interrupt.current();
      return;
    }
    const handler = stack.current[stack.current.length - 1];
    if (!handler) return;
    const rest = handler(input, key);
    if (rest) pending.current = { text: rest, from: handler, at: Date.now() };
  }, []);
  useInput(dispatch);

  const router = useMemo<Router>(() => ({
    register(h) {
      stack.current.push(h);
      const p = pending.current;
      if (p && p.from !== h && Date.now() - p.at < 1000) {
        pending.current = null;
        // Deliver after this commit finishes, as if the rest of the chunk had arrived on its own.
        setTimeout(() => { raw.current = p.text; dispatch(p.text, NO_KEY); }, 0);
      }
      return () => {
        stack.current = stack.current.filter((x) => x !== h);
      };
    },
  }), [dispatch]);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
}

const NAMED: readonly (keyof Key)[] = ['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'pageUp', 'pageDown', 'home', 'end', 'return', 'escape', 'tab', 'backspace', 'delete'];

/** Backspace → `backspace`, the Delete key → `delete`; unnamed escape sequences carry no text. */
export function normalizeKey(input: string, key: Key, raw: string): { input: string; key: Key } {
  if (key.delete && (raw === '\u007f' || raw === '\u001b\u007f')) return { input, key: { ...key, delete: false, backspace: true } };
  if (/^\u001b[[O]/.test(raw) && !NAMED.some((k) => key[k])) return { input: '', key };
  return { input, key };
}

/** Makes `handler` the receiver of keys while this component is mounted (and `isActive`). */
export function useKeys(handler: KeyHandler, isActive = true): void {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useKeys must be used inside <InputRouter>');
  const latest = useRef(handler);
  latest.current = handler;
  const stable = useRef<KeyHandler>((i, k) => latest.current(i, k)).current;
  useLayoutEffect(() => (isActive ? router.register(stable) : undefined), [isActive, router, stable]);
}
