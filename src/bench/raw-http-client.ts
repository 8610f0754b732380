/**
 * The latency floor for bench:http: one keep-alive socket, a prebuilt request written as one
 * buffer, the response read until its Content-Length is complete, timed with hrtime. No parser, no
 * pool, no recording beyond an array: whatever pipebench's HTTP path adds shows against this.
 */
import { connect, type Socket } from 'node:net';

export interface RawRoundResult {
  readonly requests: number;
  readonly latenciesUs: readonly number[];
}

export function rawRequestBytes(host: string, port: number, path: string, body: string): Buffer {
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\nhost: ${host}:${port}\r\nconnection: keep-alive\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Sends requests back to back on one socket for `durationMs`; resolves with each one's latency. */
export async function rawRound(host: string, port: number, request: Buffer, durationMs: number): Promise<RawRoundResult> {
  const socket = await open(host, port);
  socket.setNoDelay(true);
  const latenciesUs: number[] = [];
  const endAt = performance.now() + durationMs;
  try {
    while (performance.now() < endAt) {
      const start = process.hrtime.bigint();
      await exchange(socket, request);
      latenciesUs.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  } finally {
    socket.destroy();
  }
  return { requests: latenciesUs.length, latenciesUs };
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes one request and waits for one complete response (headers + Content-Length bytes). */
function exchange(socket: Socket, request: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const headerEnd = received.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const match = /content-length: *(\d+)/i.exec(received.subarray(0, headerEnd).toString('latin1'));
      if (!match) return fail(new Error('response without content-length'));
      if (received.length < headerEnd + 4 + Number(match[1])) return;
      socket.off('data', onData);
      socket.off('error', fail);
      resolve();
    };
    const fail = (error: Error): void => {
      socket.off('data', onData);
      reject(error);
    };
    socket.on('data', onData);
    socket.once('error', fail);
    socket.write(request);
  });
}
