// Socket Mode side of the stand-in: apps.connections.open tickets, WebSocket connections, envelopes out
// and acks back (https://docs.slack.dev/apis/events-api/using-socket-mode).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { acceptWebSocket, type WsConnection } from './websocket.ts';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type SocketAck = { envelopeId: string; payload: unknown };

const TICKET_TTL_MS = 30_000;
const SERVER_PING_MS = 10_000;

export function createSocketMode(o: { appId: string; now: () => number }) {
  const tickets = new Map<string, { issuedAt: number; used: boolean }>();
  const conns: WsConnection[] = [];
  const pending = new Map<string, { resolve: (a: SocketAck) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  const connectWaiters = new Set<() => void>();
  let seq = 0;
  let rr = 0;

  const openConns = () => conns.filter((c) => c.open);

  function onText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const id = (msg as { envelope_id?: unknown } | null)?.envelope_id;
    if (typeof id !== 'string') return;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.resolve({ envelopeId: id, payload: (msg as { payload?: unknown }).payload });
  }

  return {
    issueTicket(): string {
      seq += 1;
      const id = `t${seq}${Math.random().toString(36).slice(2, 10)}`;
      tickets.set(id, { issuedAt: o.now(), used: false });
      return id;
    },

    /** Takes an HTTP upgrade for `/socket-mode/:ticket`; each ticket connects once, within 30 s. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, ticket: string): void {
      const t = tickets.get(ticket);
      if (!t || t.used || o.now() - t.issuedAt > TICKET_TTL_MS) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      t.used = true;
      let pinger: ReturnType<typeof setInterval> | undefined;
      const conn = acceptWebSocket(req, socket, {
        onText,
        onClose: () => {
          if (pinger) clearInterval(pinger);
        },
      });
      if (!conn) return;
      conns.push(conn);
      // The client drops connections that hear no server ping for 30 s.
      pinger = setInterval(() => conn.ping('ping'), SERVER_PING_MS);
      pinger.unref?.();
      conn.send(
        JSON.stringify({
          type: 'hello',
          num_connections: openConns().length,
          debug_info: { host: 'applink-standin', build_number: 1, approximate_connection_time: 3600 },
          connection_info: { app_id: o.appId },
        }),
      );
      for (const w of [...connectWaiters]) w();
    },

    connections(): number {
      return openConns().length;
    },

    waitForConnection(timeoutMs = 5000): Promise<void> {
      if (openConns().length > 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          connectWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          connectWaiters.delete(done);
          reject(new Error(`socket mode: no app connected within ${timeoutMs} ms (did it call apps.connections.open with the app token?)`));
        }, timeoutMs);
        connectWaiters.add(done);
      });
    },

    /** Sends an envelope to one connected app (round robin) and resolves with its ack. */
    deliver(type: EnvelopeType, payload: unknown, opts: { timeoutMs?: number; retryAttempt?: number; retryReason?: string } = {}): Promise<SocketAck> {
      const live = openConns();
      if (live.length === 0) return Promise.reject(new Error('socket mode: no app is connected'));
      const conn = live[rr++ % live.length]!;
      seq += 1;
      const envelopeId = `${seq.toString(16).padStart(8, '0')}-${Math.random().toString(16).slice(2, 6)}-4000-8000-${Date.now().toString(16).slice(-12)}`;
      const timeoutMs = opts.timeoutMs ?? 3000;
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: type !== 'events_api',
      };
      if (type === 'events_api') {
        envelope['retry_attempt'] = opts.retryAttempt ?? 0;
        envelope['retry_reason'] = opts.retryReason ?? '';
      }
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(new Error(`socket mode: ${type} envelope not acknowledged within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(envelopeId, { resolve, reject, timer });
        conn.send(JSON.stringify(envelope));
      });
    },

    /** Asks apps to reconnect, as Slack does before rotating a connection. */
    disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
      for (const c of openConns()) c.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-standin' } }));
    },

    close(): void {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('socket mode: stand-in closed'));
      }
      pending.clear();
      for (const c of conns) c.close(1001, 'going away');
      conns.length = 0;
      tickets.clear();
    },
  };
}
export type SocketMode = ReturnType<typeof createSocketMode>;
