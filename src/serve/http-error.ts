/** A request the server answers with an error status and the BetterPrompts error body {error, details}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly details?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(details ? `${error}: ${details}` : error);
    this.name = 'HttpError';
  }

  get body(): { error: string; details?: string } {
    return { error: this.error, ...(this.details !== undefined && { details: this.details }) };
  }
}
