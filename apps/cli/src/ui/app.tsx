// Owns the wizard's top level: the menu, which flow is on screen, the header on every screen, and leaving:
// quit → exit 0, Ctrl+C → abort in-flight requests and exit 130.

import type { ApiKey } from '@apikey/core';
import { Box, Text, useApp, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { WizardRoute } from '../wizard-route.ts';
import { CreateFlow } from './create-flow.tsx';
import { DeleteFlow } from './delete-flow.tsx';
import { InputRouter, useKeys } from './input-router.tsx';
import { KeyBrowser } from './key-details.tsx';
import { RotateFlow } from './rotate-flow.tsx';
import { Header, Hint, sidePadding } from './widgets.tsx';
import { WizardContext, type WizardClient, type WizardServices } from './wizard-context.tsx';

export type AppProps = {
  /** The API client; in the real terminal a lazyClient whose calls wait for it to load. */
  client: WizardClient;
  sandbox: boolean;
  endpoint: string | Promise<string>;
  route: WizardRoute;
  /** Called once with the exit code just before the app unmounts. */
  onExit: (code: number) => void;
  writeRaw?: (data: string) => void;
};

type Screen = WizardRoute | { screen: 'list' };

const TITLES: Record<Screen['screen'], string> = {
  menu: 'NCP API Gateway keys', create: 'create a key', list: 'keys', rotate: 'rotate a key', delete: 'delete a key',
};

export function App({ client, sandbox, endpoint, route, onExit, writeRaw }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [endpointNow, setEndpointNow] = useState(typeof endpoint === 'string' ? endpoint : '');
  useEffect(() => {
    if (typeof endpoint !== 'string') endpoint.then(setEndpointNow, () => undefined);
  }, [endpoint]);
  const inflight = useRef(new Set<AbortController>());
  const done = useRef(false);
  const [screen, setScreen] = useState<Screen>(route);
  // A flow started from the command line (apikey create) ends the app; one started from the menu returns to it.
  const fromMenu = useRef(route.screen === 'menu');

  const finish = (code: number) => {
    if (done.current) return;
    done.current = true;
    for (const c of inflight.current) c.abort();
    onExit(code);
    exit();
  };
  const services = useMemo<WizardServices>(() => ({
    client,
    track(c) {
      inflight.current.add(c);
      return () => inflight.current.delete(c);
    },
    writeRaw: writeRaw ?? ((d) => void process.stdout.write(d)),
  }), [client, writeRaw]);

  const back = () => (fromMenu.current ? setScreen({ screen: 'menu' }) : finish(0));
  const openFromMenu = (s: Screen) => { fromMenu.current = true; setScreen(s); };

  let body;
  switch (screen.screen) {
    case 'menu':
      body = <Menu onPick={openFromMenu} onQuit={() => finish(0)} />;
      break;
    case 'create':
      body = <CreateFlow initialName={screen.name ?? ''} initialDescription={screen.description ?? ''} initialProducts={screen.products ?? []} onBack={back} onDone={(_k: ApiKey) => back()} />;
      break;
    case 'list':
      body = <KeyBrowser onBack={back} />;
      break;
    case 'rotate':
      body = <RotateFlow {...(screen.apiKeyId ? { apiKeyId: screen.apiKeyId } : {})} {...(screen.keyType ? { keyType: screen.keyType } : {})} onBack={back} />;
      break;
    case 'delete':
      body = <DeleteFlow {...(screen.apiKeyId ? { apiKeyId: screen.apiKeyId } : {})} onBack={back} />;
      break;
  }
  return (
    <WizardContext.Provider value={services}>
      <InputRouter onInterrupt={() => finish(130)}>
        <Box flexDirection="column" paddingX={sidePadding(stdout.columns)}>
          <Header sandbox={sandbox} endpoint={endpointNow} title={TITLES[screen.screen]} />
          {body}
        </Box>
      </InputRouter>
    </WizardContext.Provider>
  );
}

const ITEMS: { label: string; hotkey: string; screen: Screen | 'quit' }[] = [
  { label: 'Create a key', hotkey: 'c', screen: { screen: 'create' } },
  { label: 'List keys', hotkey: 'l', screen: { screen: 'list' } },
  { label: 'Rotate a key', hotkey: 'r', screen: { screen: 'rotate' } },
  { label: 'Delete a key', hotkey: 'd', screen: { screen: 'delete' } },
  { label: 'Quit', hotkey: 'q', screen: 'quit' },
];

function Menu({ onPick, onQuit }: { onPick: (s: Screen) => void; onQuit: () => void }) {
  const [sel, setSel] = useState(0);
  const choose = (i: number) => {
    const item = ITEMS[i];
    if (!item) return;
    if (item.screen === 'quit') onQuit();
    else onPick(item.screen);
  };
  useKeys((input, key) => {
    if (key.upArrow) return setSel((s) => (s + ITEMS.length - 1) % ITEMS.length);
    if (key.downArrow) return setSel((s) => (s + 1) % ITEMS.length);
    if (key.return) return choose(sel);
    if (key.escape) return onQuit();
    if (key.ctrl || key.meta) return;
    const i = ITEMS.findIndex((it) => it.hotkey === input);
    if (i !== -1) choose(i);
  });
  return (
    <Box flexDirection="column">
      <Text bold>What would you like to do?</Text>
      {ITEMS.map((it, i) => (
        <Text key={it.hotkey} inverse={i === sel}>{i === sel ? '› ' : '  '}{it.label} <Text dimColor>({it.hotkey})</Text></Text>
      ))}
      <Hint>↑/↓ and Enter, or the letter · q or Esc to quit · Ctrl+C to abort</Hint>
    </Box>
  );
}
