/**
 * The one place reports touch the disk. Rewritten after every step, so an interrupted run keeps
 * what it measured; each file is replaced atomically (temp file in the same folder, then rename),
 * so a reader never sees half a report.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, toError } from '../errors.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { RunReport } from './types.js';

export const REPORT_JSON = 'report.json';
export const REPORT_MD = 'report.md';

export class ReportWriter {
  private writes = 0;

  constructor(readonly outDir: string) {}

  /** Writes report.json and report.md; returns their paths. */
  async write(report: RunReport): Promise<readonly string[]> {
    try {
      await mkdir(this.outDir, { recursive: true });
    } catch (error) {
      throw new InputError(this.outDir, `cannot create the report folder: ${toError(error).message}`, { cause: error });
    }
    const outputs: readonly (readonly [string, string])[] = [
      [REPORT_JSON, renderJson(report)],
      [REPORT_MD, renderMarkdown(report)],
    ];
    const paths: string[] = [];
    for (const [name, text] of outputs) paths.push(await this.replace(name, text));
    return paths;
  }

  private async replace(name: string, text: string): Promise<string> {
    const path = join(this.outDir, name);
    const temp = join(this.outDir, `.${name}.${process.pid}.${++this.writes}.tmp`);
    try {
      await writeFile(temp, text, 'utf8');
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw new InputError(path, `cannot write the report: ${toError(error).message}`, { cause: error });
    }
    return path;
  }
}
