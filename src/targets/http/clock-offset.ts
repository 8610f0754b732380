/**
 * How far the local clock is from an HTTP target's, from the Date header of one bodiless request
 * (HEAD on its base URL, no credentials): shards on several machines record it, so a merge can tell
 * how far their wall-clock windows may be from each other. The header counts whole seconds, so the
 * best estimate of the server's time is the middle of its second: +-500 ms plus half the round trip.
 */
import { Client } from 'undici';
import type { ClockOffsetReport } from '../../core/report/shard.js';
import type { Clock } from '../../core/clock.js';

export async function estimateClockOffset(baseUrl: string, clock: Clock, timeoutMs = 5000): Promise<ClockOffsetReport | null> {
  const url = new URL(baseUrl);
  const client = new Client(url.origin, { connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  try {
    const sentMs = clock();
    const response = await client.request({ method: 'HEAD', path: url.pathname });
    const receivedMs = clock();
    await response.body.dump();
    const header = response.headers['date'];
    const serverMs = typeof header === 'string' ? Date.parse(header) : Number.NaN;
    if (Number.isNaN(serverMs)) return null;
    const midMs = (sentMs + receivedMs) / 2;
    const roundTripMs = receivedMs - sentMs;
    return { source: 'http-date', offsetMs: Math.round(serverMs + 500 - midMs), uncertaintyMs: Math.round(500 + roundTripMs / 2) };
  } catch {
    // No answer: the offset is unknown (the run's own health check says why the target is down).
    return null;
  } finally {
    await client.destroy();
  }
}
