/**
 * One GET to see whether a server answers yet (a launched server's health route, Triton's model
 * readiness): the status, or why there was none, in a few words for the "last answer" of a timeout.
 */

/** "HTTP <status>", or the network error's code (ECONNREFUSED) or name (TimeoutError); the body is discarded. */
export async function probeStatus(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return `HTTP ${response.status}`;
  } catch (error) {
    return networkReason(error);
  }
}

/** A failed fetch in a few words: its cause's code (ECONNREFUSED), else the error's name. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.name : String(error));
}
