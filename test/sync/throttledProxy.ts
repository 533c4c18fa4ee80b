/**
 * A weak link for tests and the bench: a TCP proxy on loopback in front of the hub that
 * carries at most `bytesPerSecond` each way (shared by every connection, as one mobile link
 * is) and, when asked, cuts every open connection every few seconds. It counts what it
 * carried and how often it cut, and stops with close().
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface LinkOptions {
  bytesPerSecond: number;
  /** Cut every connection after a random time in [min, max] ms, again and again. */
  dropEveryMs?: [number, number];
  /** Listen on this port (the link coming back at the address the laptop knows); a free one when absent. */
  port?: number;
}

export interface ThrottledProxy {
  url: string;
  /** Bytes carried towards the hub and back. */
  readonly up: number;
  readonly down: number;
  readonly drops: number;
  close(): Promise<void>;
}

/** One direction of the link: a byte may leave no sooner than the ones before it allow. */
class Lane {
  bytes = 0;
  private free = 0;
  constructor(private readonly rate: number) {}

  /** Waits until `n` more bytes fit the rate. */
  take(n: number): Promise<void> {
    const now = Date.now();
    this.free = Math.max(this.free, now) + (n * 1000) / this.rate;
    return new Promise((resolve) => setTimeout(resolve, this.free - now));
  }
}

function pipeThrottled(src: net.Socket, dst: net.Socket, lane: Lane, slice: number): void {
  src.on('data', (chunk: Buffer) => {
    src.pause();
    void (async () => {
      for (let i = 0; i < chunk.length && !dst.destroyed; i += slice) {
        const part = chunk.subarray(i, i + slice);
        await lane.take(part.length);
        if (dst.destroyed) return;
        dst.write(part);
        lane.bytes += part.length;
      }
      src.resume();
    })();
  });
  src.on('end', () => dst.end());
}

export async function throttledProxy(target: string, options: LinkOptions): Promise<ThrottledProxy> {
  const { hostname, port } = new URL(target);
  const up = new Lane(options.bytesPerSecond);
  const down = new Lane(options.bytesPerSecond);
  // Slices of about 1/20 s, so the rate holds within a request and fast links are not held up by timers.
  const slice = Math.max(1024, Math.round(options.bytesPerSecond / 20));
  const open = new Set<net.Socket>();
  let drops = 0;
  const server = net.createServer((client) => {
    const hub = net.connect(Number(port), hostname);
    open.add(client).add(hub);
    const end = () => {
      client.destroy();
      hub.destroy();
      open.delete(client);
      open.delete(hub);
    };
    client.on('error', end).on('close', end);
    hub.on('error', end).on('close', end);
    pipeThrottled(client, hub, up, slice);
    pipeThrottled(hub, client, down, slice);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  let timer: NodeJS.Timeout | null = null;
  const scheduleDrop = () => {
    if (!options.dropEveryMs) return;
    const [min, max] = options.dropEveryMs;
    timer = setTimeout(
      () => {
        if (open.size) drops++;
        for (const s of open) s.destroy();
        open.clear();
        scheduleDrop();
      },
      min + Math.random() * (max - min),
    );
  };
  scheduleDrop();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get up() {
      return up.bytes;
    },
    get down() {
      return down.bytes;
    },
    get drops() {
      return drops;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearTimeout(timer);
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
