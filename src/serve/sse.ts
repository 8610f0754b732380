/**
 * Server-sent events for OpenAI streaming: `data: <json>\n\n` per event, `data: [DONE]` at the end.
 * The status line goes out with the first event, so a request turned away before any token
 * (server busy, bad input) still gets a plain JSON error.
 */
import type { ServerResponse } from 'node:http';

export class SseWriter {
  private started = false;

  constructor(private readonly res: ServerResponse) {}

  get hasStarted(): boolean {
    return this.started;
  }

  send(event: unknown): void {
    this.start();
    this.res.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** The end marker a client needs to tell a complete stream from a cut one. */
  done(): void {
    this.start();
    this.res.end('data: [DONE]\n\n');
  }

  /** After the stream started, an error can only be reported in-band; no [DONE] follows. */
  fail(error: string): void {
    this.send({ error: { message: error, type: 'server_error' } });
    this.res.end();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    this.res.flushHeaders();
  }
}
