/** The recorded H100 curve (test/fixtures/gpu/torch-bert-gpt2-anchor.json) as analysis inputs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Candidate } from '../../src/analysis/recommend.js';

interface ClassifyRow {
  readonly batch: number;
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly p99_ms: number;
  readonly items_per_s: number;
}
interface GenerateRow {
  readonly batch: number;
  readonly new_tokens: number;
  readonly p50_ms: number;
  readonly max_ms: number;
  readonly tokens_per_s: number;
}
export interface AnchorFixture {
  readonly device: string;
  readonly classify: readonly ClassifyRow[];
  readonly generate: readonly GenerateRow[];
}

const path = fileURLToPath(new URL('../fixtures/gpu/torch-bert-gpt2-anchor.json', import.meta.url));
export const anchor = JSON.parse(readFileSync(path, 'utf8')) as AnchorFixture;

export function classifyCandidates(): Candidate[] {
  return anchor.classify.map((row) => ({
    batchSize: row.batch,
    throughput: { itemsPerSec: row.items_per_s },
    latencyMs: { e2e: { p95: row.p95_ms, p99: row.p99_ms } },
    errors: { rate: 0 },
  }));
}

/** Generation rows carry tokens/s: items/s = tokens/s / new tokens per item. */
export function generateThroughput(): { batchSize: number; itemsPerSec: number }[] {
  return anchor.generate.map((row) => ({ batchSize: row.batch, itemsPerSec: row.tokens_per_s / row.new_tokens }));
}
