/**
 * Open-loop send counts of drivers that ran at the same time (load worker threads, each sending its
 * share of one schedule) as one: sends and late sends sum, the worst lateness is the largest, and
 * the achieved rate runs from the first send of any driver to the last.
 */
import { achievedRate, type SendStats } from './send-stats.js';

export function mergeSendStats(parts: readonly SendStats[]): SendStats {
  const first = parts[0];
  if (first === undefined) throw new RangeError('mergeSendStats needs at least one part');
  let sends = 0;
  let lateSends = 0;
  let maxLateMs = 0;
  let firstSendAtMs: number | null = null;
  let lastSendAtMs: number | null = null;
  for (const part of parts) {
    sends += part.sends;
    lateSends += part.lateSends;
    maxLateMs = Math.max(maxLateMs, part.maxLateMs);
    if (part.firstSendAtMs !== null) firstSendAtMs = Math.min(firstSendAtMs ?? part.firstSendAtMs, part.firstSendAtMs);
    if (part.lastSendAtMs !== null) lastSendAtMs = Math.max(lastSendAtMs ?? part.lastSendAtMs, part.lastSendAtMs);
  }
  return {
    sends,
    lateSends,
    lateThresholdMs: first.lateThresholdMs,
    maxLateMs,
    firstSendAtMs,
    lastSendAtMs,
    achievedRatePerSec: achievedRate(sends, firstSendAtMs, lastSendAtMs),
  };
}
