/**
 * Exact bytes to an HTTP server and back, for fuzzing: fetch and URL would normalise the
 * very paths and headers these tests must send as they are (`%2e%2e`, backslashes, `%00`,
 * bad percent-encoding, missing Host).
 */
import net from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

export interface RawRequest {
  method: string;
  target: string;
  headers?: Record<string, string>;
  /** Sent after the head; a function sends it in its own time (slow bodies). */
  body?: Buffer | ((socket: net.Socket) => void);
  timeoutMs?: number;
}

/** Sends one request with `Connection: close` and reads until the server closes; never rejects. */
export function rawRequest(port: number, r: RawRequest): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), Date.now() - started));
    };
    const socket = net.connect(port, '127.0.0.1', () => {
      const headers: Record<string, string> = { connection: 'close', ...r.headers };
      if (Buffer.isBuffer(r.body) && !Object.keys(headers).some((h) => /^(content-length|transfer-encoding)$/i.test(h))) headers['content-length'] = String(r.body.length);
      const head = `${r.method} ${r.target} HTTP/1.1\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n`;
      socket.write(Buffer.from(head, 'latin1'));
      if (Buffer.isBuffer(r.body)) socket.write(r.body);
      else if (r.body) r.body(socket);
    });
    const timer = setTimeout(finish, r.timeoutMs ?? 10_000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

function parse(raw: Buffer, ms: number): RawResponse {
  const text = raw.toString('utf8');
  const headEnd = text.indexOf('\r\n\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!m || headEnd < 0) return { status: 0, headers: {}, body: text, ms };
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, headEnd).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(m[1]), headers, body: text.slice(headEnd + 4), ms };
}

/** Path pieces that have broken hosts: traversal in every encoding, bad escapes, NUL, odd separators. */
export const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%252e%252e',
  '..%2f',
  '..%5c',
  '..\\',
  '%c0%ae%c0%ae',
  '%c0%af',
  '%e0%80%ae',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ff%fe',
  ';',
  '..;',
  '%3f',
  '%23',
  '~',
  'index.html',
  'assets',
  'api',
  'call',
  'events',
  'etc',
  'passwd',
  '',
] as const;
