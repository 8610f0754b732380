/**
 * Incremental server-sent-events splitter (the WHATWG event-stream format): fed body chunks as they
 * arrive, it calls back once per complete event. Chunks may split events, lines, "\r\n" pairs or
 * UTF-8 characters anywhere; lines end in "\n", "\r\n" or "\r".
 */

/** Called for each dispatched event: its data lines joined with "\n", and its type ("message" by default). */
export type SseListener = (data: string, eventType: string) => void;

const LF = 10;

export class SseSplitter {
  private readonly listener: SseListener;
  /** `stream: true` keeps a character split across chunks until its last byte arrives; a leading BOM is dropped. */
  private readonly utf8 = new TextDecoder('utf-8');
  /** The unfinished line at the end of the last chunk. */
  private partialLine = '';
  /** The last chunk ended in "\r": a "\n" starting the next one belongs to the same line end. */
  private skipLeadingLf = false;
  private data = '';
  private hasData = false;
  private eventType = '';

  constructor(listener: SseListener) {
    this.listener = listener;
  }

  push(chunk: Uint8Array): void {
    const text = this.utf8.decode(chunk, { stream: true });
    this.scan(text);
  }

  /**
   * The body ended. Returns the data of an event that was still open (its blank line never came,
   * or its last line was cut), or null when the stream stopped cleanly between events.
   * Per the format, such an event is not dispatched.
   */
  end(): string | null {
    this.scan(this.utf8.decode());
    if (this.partialLine !== '') this.takeLine(this.partialLine);
    this.partialLine = '';
    const open = this.hasData ? this.data : null;
    this.resetEvent();
    return open;
  }

  /** Finds line ends with indexOf (several times faster than a per-character loop on long chunks). */
  private scan(text: string): void {
    let start = 0;
    if (this.skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === LF) start = 1;
      this.skipLeadingLf = false;
    }
    let nextLf = text.indexOf('\n', start);
    let nextCr = text.indexOf('\r', start);
    while (nextLf >= 0 || nextCr >= 0) {
      const end = nextCr < 0 || (nextLf >= 0 && nextLf < nextCr) ? nextLf : nextCr;
      const piece = text.slice(start, end);
      const line = this.partialLine === '' ? piece : this.partialLine + piece;
      this.partialLine = '';
      start = end + 1;
      if (end === nextCr) {
        if (start === text.length) this.skipLeadingLf = true;
        else if (text.charCodeAt(start) === LF) start++;
      }
      this.takeLine(line);
      if (nextLf >= 0 && nextLf < start) nextLf = text.indexOf('\n', start);
      if (nextCr >= 0 && nextCr < start) nextCr = text.indexOf('\r', start);
    }
    if (start < text.length) this.partialLine += text.slice(start);
  }

  private takeLine(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 0x3a /* ":" comment */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (field === 'data') {
      this.data = this.hasData ? `${this.data}\n${value}` : value;
      this.hasData = true;
    } else if (field === 'event') {
      this.eventType = value;
    }
    // id and retry matter to reconnecting browsers, not to a benchmark reading one response.
  }

  private dispatch(): void {
    if (this.hasData) this.listener(this.data, this.eventType === '' ? 'message' : this.eventType);
    this.resetEvent();
  }

  private resetEvent(): void {
    this.data = '';
    this.hasData = false;
    this.eventType = '';
  }
}
