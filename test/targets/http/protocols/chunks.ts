/** Feeding bodies to decoders in the odd chunkings a socket may deliver. */
import type { Decoded, ResponseDecoder } from '../../../../src/targets/http/protocol.js';
import { mulberry32 } from '../../../../src/random.js';

/** Splits bytes into pieces of `size` bytes (1 = byte by byte). */
export function piecesOf(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) pieces.push(bytes.subarray(start, start + size));
  return pieces;
}

/** Splits bytes at seeded random points (pieces of 1..maxSize bytes). */
export function randomPieces(bytes: Buffer, seed: number, maxSize: number): Buffer[] {
  const random = mulberry32(seed);
  const pieces: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const size = 1 + Math.floor(random() * maxSize);
    pieces.push(bytes.subarray(start, start + size));
    start += size;
  }
  return pieces;
}

/** Feeds pieces stamped `firstAtMs`, `firstAtMs + stepMs`, ...; finishes one step after the last. */
export function decodePieces(decoder: ResponseDecoder, pieces: readonly Buffer[], firstAtMs = 1_000, stepMs = 0): Decoded {
  let atMs = firstAtMs;
  for (const piece of pieces) {
    decoder.onData(piece, atMs);
    atMs += stepMs;
  }
  return decoder.finish(atMs);
}

/** The whole body as one chunk. */
export function decodeWhole(decoder: ResponseDecoder, body: string | object): Decoded {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return decodePieces(decoder, [Buffer.from(text, 'utf8')]);
}
