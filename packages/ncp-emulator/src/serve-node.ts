// serve(): exposes an emulator over node:http (Node and Deno's node compat), keeping the raw request target
// for signature verification and turning ConnectionDroppedError into a destroyed socket.

import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createNcpEmulator } from './emulator.ts';
import { isConnectionDropped } from './responses.ts';
import type { NcpEmulator } from './types.ts';

export type ServeOptions = { emulator?: NcpEmulator; port?: number; hostname?: string };

export type ServedEmulator = {
  /** Base URL including /api/v1, e.g. http://127.0.0.1:54321/api/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
  emulator: NcpEmulator;
};

// Upper bound on what serve() buffers before the handler applies its own (smaller, configurable) limit.
export const SERVE_MAX_BODY_BYTES = 1_048_576;

/** The whole body, or undefined when it exceeds SERVE_MAX_BODY_BYTES (the rest is drained, not kept). */
function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on('data', (c: Uint8Array) => {
      size += c.length;
      if (size <= SERVE_MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > SERVE_MAX_BODY_BYTES) return resolve(undefined);
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      resolve(out);
    });
    req.on('error', reject);
  });
}

/** Origin-form targets pass through; an absolute-form target keeps only its raw path and query. */
function rawTargetOf(url: string): string | undefined {
  if (url.startsWith('/')) return url;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/i.exec(url);
  if (m === null) return undefined;
  const rest = m[1] ?? '';
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  writeRaw(res, status, 'application/json;charset=UTF-8', JSON.stringify(body));
}

function writePlain(res: ServerResponse, status: number, text: string): void {
  writeRaw(res, status, 'text/plain', text);
}

// For the few answers serve() gives itself (unparseable or oversized requests), before the handler is involved.
function writeRaw(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-ncp-trace-id': randomUUID().replace(/-/g, ''),
  });
  res.end(text);
}

class BodyTooLarge extends Error {}

async function toWebRequest(req: IncomingMessage, base: string, rawTarget: string, signal: AbortSignal): Promise<Request> {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] ?? '', raw[i + 1] ?? '');
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  if (body === undefined && method !== 'GET' && method !== 'HEAD') throw new BodyTooLarge();
  // The URL parser normalises the target (spaces, dot segments); routing uses that, signing uses rawTarget.
  // Concatenate rather than resolve: a target like `//x` must stay a path, not become a host.
  return new Request(new URL(base + rawTarget), {
    method,
    headers,
    signal,
    ...(body !== undefined && body.length > 0 ? { body } : {}),
  });
}

export async function serve(opts: ServeOptions = {}): Promise<ServedEmulator> {
  const emulator = opts.emulator ?? createNcpEmulator();
  const hostname = opts.hostname ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const inFlight = new Set<AbortController>();
  let base = '';

  const server = createServer((req, res) => {
    const controller = new AbortController();
    inFlight.add(controller);
    // A client that gives up (timeout, abort) closes the connection: end any wait for this request.
    res.on('close', () => {
      inFlight.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    void (async () => {
      const rawTarget = rawTargetOf(req.url ?? '');
      if (rawTarget === undefined) return writePlain(res, 400, 'bad request target');
      let request: Request;
      try {
        request = await toWebRequest(req, base, rawTarget, controller.signal);
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          return writeJson(res, 413, { error: { errorCode: '430', message: 'Request Entity Too Large', details: `(emulator: body over ${SERVE_MAX_BODY_BYTES} bytes)` } });
        }
        return writePlain(res, 400, `bad request: ${e instanceof Error ? e.message : String(e)}`);
      }
      let response: Response;
      try {
        response = await emulator.handler(request, { rawTarget });
      } catch (e) {
        if (isConnectionDropped(e)) {
          req.socket.destroy();
          return;
        }
        return writePlain(res, 500, 'emulator failure');
      }
      if (res.destroyed) return;
      const body = new Uint8Array(await response.arrayBuffer());
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => {
        headers[k] = v;
      });
      headers['content-length'] = String(body.length);
      res.writeHead(response.status, headers);
      res.end(body);
    })();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('emulator server has no TCP address');
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  base = `http://${host}:${address.port}`;

  return {
    url: `${base}/api/v1`,
    port: address.port,
    emulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        for (const c of inFlight) c.abort();
        for (const s of sockets) s.destroy();
      }),
  };
}
