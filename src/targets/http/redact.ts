/**
 * Secrets (tokens, passwords, API keys, authorization values) must never reach a thrown message,
 * a warning or a result. Every message built from server or undici text goes through `redact`.
 */
export const REDACTED = '<redacted>';

export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Remember a secret value; empty values are ignored (they would match everywhere). */
  add(secret: string): void {
    if (secret.length > 0) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}
