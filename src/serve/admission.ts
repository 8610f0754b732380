/** Admission control: at most `limit` model requests at once; the rest are turned away (503). */
export class Admission {
  private current = 0;

  /** `limit` undefined: no limit. */
  constructor(private readonly limit: number | undefined) {}

  get inFlight(): number {
    return this.current;
  }

  tryEnter(): boolean {
    if (this.limit !== undefined && this.current >= this.limit) return false;
    this.current += 1;
    return true;
  }

  leave(): void {
    this.current = Math.max(0, this.current - 1);
  }
}
