/**
 * A run's outputs, rewritten from its record after every step so an interrupted run keeps what it
 * measured. One that fails (a chart that cannot render) becomes a warning, once, and report.json is
 * written again so it carries it: a broken output never stops the run.
 */
import type { RunReport } from '../core/report/run.js';
import { ReportWriter } from '../report/writer.js';

export class RunOutputs {
  private readonly all: ReportWriter;
  private readonly jsonOnly: ReportWriter;
  private written: readonly string[] = [];

  /** `warnings`: the run's list (a failure is added to it through `warn`, once). */
  constructor(
    outDir: string,
    private readonly warnings: readonly string[],
    private readonly warn: (message: string) => void,
  ) {
    this.all = new ReportWriter(outDir);
    this.jsonOnly = new ReportWriter(outDir, { formats: ['json'] });
  }

  /** Paths of every output written last time. */
  get files(): readonly string[] {
    return this.written;
  }

  async write(build: () => RunReport): Promise<RunReport> {
    let report = build();
    this.written = await this.all.write(report);
    const fresh = this.all.failures.filter((failure) => !this.warnings.includes(failure));
    if (fresh.length > 0) {
      for (const failure of fresh) this.warn(failure);
      report = build();
      await this.jsonOnly.write(report);
    }
    return report;
  }

  async writeJson(report: RunReport): Promise<void> {
    await this.jsonOnly.write(report);
  }
}
