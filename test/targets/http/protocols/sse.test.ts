import { describe, expect, it } from 'vitest';
import { SseSplitter } from '../../../../src/targets/http/protocols/sse.js';
import { piecesOf, randomPieces } from './chunks.js';

interface Seen {
  readonly data: string;
  readonly type: string;
}

function split(pieces: readonly Uint8Array[]): { events: Seen[]; open: string | null } {
  const events: Seen[] = [];
  const splitter = new SseSplitter((data, type) => events.push({ data, type }));
  for (const piece of pieces) splitter.push(piece);
  return { events, open: splitter.end() };
}

const whole = (text: string) => split([Buffer.from(text, 'utf8')]);

describe('SseSplitter', () => {
  it('splits events on blank lines with \\n, \\r\\n and \\r line ends alike', () => {
    const expected = [
      { data: 'one', type: 'message' },
      { data: 'two', type: 'message' },
    ];
    expect(whole('data: one\n\ndata: two\n\n').events).toEqual(expected);
    expect(whole('data: one\r\n\r\ndata: two\r\n\r\n').events).toEqual(expected);
    expect(whole('data: one\r\rdata: two\r\r').events).toEqual(expected);
    expect(whole('data: one\r\n\ndata: two\n\r\n').events).toEqual(expected);
  });

  it('joins data lines with \\n, reads the event type, skips comments, ids and retries', () => {
    const { events } = whole(': keep-alive\nevent: error\nid: 7\nretry: 10\ndata: a\ndata:b\ndata\n\n');
    expect(events).toEqual([{ data: 'a\nb\n', type: 'error' }]);
  });

  it('dispatches an empty data field but not an event without data', () => {
    expect(whole('data:\n\n').events).toEqual([{ data: '', type: 'message' }]);
    expect(whole('event: ping\n\n: only a comment\n\n').events).toEqual([]);
  });

  it('keeps only one leading space of a value and drops a BOM at the start', () => {
    expect(whole('\uFEFFdata:  two spaces\n\n').events).toEqual([{ data: ' two spaces', type: 'message' }]);
  });

  it('gives the same events byte by byte, including split multi-byte characters and \\r|\\n pairs', () => {
    const text = 'data: {"text":"é"}\r\n\r\ndata: 日本語 🚀\r\n\r\n: c\r\ndata: ü\rdata: x\r\r';
    const expected = whole(text);
    expect(expected.events.map((event) => event.data)).toEqual(['{"text":"é"}', '日本語 🚀', 'ü\nx']);
    const bytes = Buffer.from(text, 'utf8');
    expect(split(piecesOf(bytes, 1))).toEqual(expected);
    expect(split(piecesOf(bytes, 2))).toEqual(expected);
    expect(split(piecesOf(bytes, 3))).toEqual(expected);
    for (let seed = 1; seed <= 50; seed++) expect(split(randomPieces(bytes, seed, 7))).toEqual(expected);
  });

  it('splits a long chunk with sparse \\r line ends the same as piece by piece', () => {
    const text = Array.from({ length: 300 }, (_, i) =>
      i % 37 === 0 ? `data: ${i}\r\r` : i % 11 === 0 ? `data: ${i}\r\n\r\n` : `data: ${i}\n\n`,
    ).join('');
    const { events, open } = whole(text);
    expect(events.map((event) => event.data)).toEqual(Array.from({ length: 300 }, (_, i) => String(i)));
    expect(open).toBeNull();
    expect(split(randomPieces(Buffer.from(text), 7, 40))).toEqual({ events, open });
  });

  it('does not count a \\r at the end of one chunk and a \\n at the start of the next as two line ends', () => {
    const { events } = split([Buffer.from('data: a\r'), Buffer.from('\ndata: b\r'), Buffer.from('\n\r'), Buffer.from('\n')]);
    expect(events).toEqual([{ data: 'a\nb', type: 'message' }]);
  });

  it('survives chunks that decode to no characters (a lone lead byte)', () => {
    const rocket = Buffer.from('🚀', 'utf8');
    const pieces = [Buffer.from('data: x\r'), rocket.subarray(0, 1), rocket.subarray(1), Buffer.from('\n\n')];
    // The \r ended the line "data: x"; the rocket starts a new line, so no \n is skipped.
    expect(split(pieces).events).toEqual([{ data: 'x', type: 'message' }]);
    expect(split([Buffer.from('data: x\r'), Buffer.alloc(0), Buffer.from('\n\n')]).events).toEqual([{ data: 'x', type: 'message' }]);
  });

  it('end() reports an event still open (no blank line yet, or its last line cut) and does not dispatch it', () => {
    expect(whole('data: a\n\n')).toEqual({ events: [{ data: 'a', type: 'message' }], open: null });
    expect(whole('data: a\n\ndata: [DONE]\n')).toEqual({ events: [{ data: 'a', type: 'message' }], open: '[DONE]' });
    expect(whole('data: a\n\ndata: {"cho')).toEqual({ events: [{ data: 'a', type: 'message' }], open: '{"cho' });
    expect(whole('')).toEqual({ events: [], open: null });
    expect(whole(': trailing comment')).toEqual({ events: [], open: null });
  });
});
