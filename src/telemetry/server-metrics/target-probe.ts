/**
 * Whether the target's own `<origin>/metrics` is worth scraping: one scrape, on the calling thread,
 * before any scraping worker exists. A target without /metrics (the common case) then costs one
 * request instead of a worker thread that loads its own module graph only to find a 404.
 */
import { EndpointScraper, type ScraperOptions } from './scraper.js';

/** True when its first answer is Prometheus text with samples; otherwise one note says why it is not scraped. */
export async function targetServesMetrics(
  url: string,
  options: Omit<ScraperOptions, 'onFault'>,
  note?: (message: string) => void,
): Promise<boolean> {
  // Tried once, quietly: a target without /metrics is the common case, not a fault.
  let firstFault: string | null = null;
  const probe = new EndpointScraper(url, { ...options, onFault: (message) => (firstFault ??= message) });
  const outcome = await probe.scrapeNow();
  await probe.stop();
  const serves = outcome.kind === 'ok' && outcome.samples > 0;
  note?.(
    serves
      ? `server metrics: scraping ${probe.shownUrl} every ${probe.intervalMs} ms (the target answers Prometheus text there)`
      : `server metrics: ${probe.shownUrl} did not answer Prometheus text (${firstFault ?? 'no samples'}); not scraped (give --server-metrics URL)`,
  );
  return serves;
}
