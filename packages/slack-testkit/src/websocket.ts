// A minimal RFC 6455 server side (text frames, ping/pong, close) over node:http's 'upgrade', enough for
// @slack/socket-mode's client. Kept here so the testkit needs no WebSocket dependency.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export type WsConnection = {
  send(text: string): void;
  ping(data?: string): void;
  close(code?: number, reason?: string): void;
  readonly open: boolean;
};

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let head: Buffer;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65_536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Completes the handshake and returns the connection, or answers 400 and returns undefined. */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  handlers: { onText(text: string): void; onClose(): void },
): WsConnection | undefined {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || String(req.headers['upgrade']).toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return undefined;
  }
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);

  let open = true;
  let buf = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let fragmentOpcode = 0;

  const finish = (): void => {
    if (!open) return;
    open = false;
    handlers.onClose();
  };
  const conn: WsConnection = {
    get open() {
      return open;
    },
    send(text) {
      if (open) socket.write(frame(0x1, Buffer.from(text, 'utf8')));
    },
    ping(data = '') {
      if (open) socket.write(frame(0x9, Buffer.from(data, 'utf8')));
    },
    close(code = 1000, reason = '') {
      if (!open) return;
      const body = Buffer.alloc(2 + Buffer.byteLength(reason));
      body.writeUInt16BE(code, 0);
      body.write(reason, 2);
      socket.write(frame(0x8, body));
      socket.end();
      finish();
    },
  };

  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const b0 = buf[0]!;
      const b1 = buf[1]!;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        offset = 10;
      }
      if (len > MAX_MESSAGE_BYTES) return conn.close(1009, 'message too big');
      const masked = (b1 & 0x80) !== 0;
      const maskStart = offset;
      if (masked) offset += 4;
      if (buf.length < offset + len) return;
      const payload = Buffer.from(buf.subarray(offset, offset + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buf[maskStart + (i % 4)]!;
      buf = buf.subarray(offset + len);
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if (opcode === 0x8) {
        conn.close();
        return;
      }
      if (opcode === 0x9) {
        if (open) socket.write(frame(0xa, payload));
        continue;
      }
      if (opcode === 0xa) continue;
      if (opcode === 0x1 || opcode === 0x2) {
        fragmentOpcode = opcode;
        fragments = [payload];
      } else if (opcode === 0x0) fragments.push(payload);
      if (fin && fragmentOpcode === 0x1) {
        const text = Buffer.concat(fragments).toString('utf8');
        fragments = [];
        handlers.onText(text);
      }
    }
  });
  socket.on('close', finish);
  socket.on('error', finish);
  return conn;
}
