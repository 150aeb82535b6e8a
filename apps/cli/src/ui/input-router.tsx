// Owns keyboard dispatch for a whole Ink app: ONE useInput with a stable handler (so Ink 6 never re-subscribes
// and no keys fall into a gap between steps), Ctrl+C anywhere in a chunk → interrupt, and the active screen's
// handler on top of a stack. Input left over after an Enter is replayed to the next screen once it registers.

import { useInput, type Key } from 'ink';
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

  const dispatch = useCallback((input: string, key: Key): void => {
    pending.current = null;
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
        setTimeout(() => dispatch(p.text, NO_KEY), 0);
      }
      return () => {
        stack.current = stack.current.filter((x) => x !== h);
      };
    },
  }), [dispatch]);
  return <RouterContext.Provider value={router}>{children}</RouterContext.Provider>;
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
