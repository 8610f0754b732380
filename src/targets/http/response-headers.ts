/** Reading a response's headers as undici hands them over (raw name/value buffers). */
/** A header's value from undici's raw [name, value, name, value, ...] list (names in any case). */
export function rawHeader(rawHeaders: readonly Buffer[], lowerName: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === lowerName.length && name.toString('latin1').toLowerCase() === lowerName)
      return rawHeaders[i + 1]!.toString('latin1');
  }
  return undefined;
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | string[] | undefined): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return Number(text) * 1000;
  const atMs = Date.parse(text); // a wall-clock date: compare with wall-clock now
  return Number.isNaN(atMs) ? null : Math.max(0, atMs - Date.now());
}
