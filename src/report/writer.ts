/**
 * The one place reports touch the disk. Rewritten after every step, so an interrupted run keeps
 * what it measured; each file is replaced atomically (temp file in the same folder, then rename),
 * so a reader never sees half a report. report.json is written first and its failure is an error;
 * any other output that cannot be rendered or written becomes a line in `failures`, so a broken
 * chart can never stop a run or lose the source of truth.
 */
import { constants } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError, toError } from '../errors.js';
import { renderStepsCsv } from './csv.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown/index.js';
import type { RunReport } from '../core/report/run.js';
import { REPORT_FILES, REPORT_FORMATS, type ReportFormat } from './formats.js';

type Renderer = (report: RunReport) => string | Promise<string>;

/** report.html's renderer loads Vega; imported on first use so runs and tests without html do not pay for it. */
async function renderHtml(report: RunReport): Promise<string> {
  const html = await import('./html/index.js');
  return html.renderHtml(report);
}

const RENDERERS = {
  json: renderJson,
  md: renderMarkdown,
  junit: (report) => renderJunit(report),
  csv: renderStepsCsv,
  html: renderHtml,
} as const satisfies Record<ReportFormat, Renderer>;

export interface ReportWriterOptions {
  /** Which outputs to write (in REPORT_FORMATS order whatever the order given); default all. */
  readonly formats?: readonly ReportFormat[];
}

export class ReportWriter {
  private writes = 0;
  private readonly failed = new Map<ReportFormat, string>();
  readonly formats: readonly ReportFormat[];

  constructor(
    readonly outDir: string,
    options: ReportWriterOptions = {},
  ) {
    const asked = options.formats ?? REPORT_FORMATS;
    this.formats = REPORT_FORMATS.filter((format) => asked.includes(format));
  }

  /**
   * Whether the report folder can be made (or is there) and written to, without making it: a run
   * whose report could not be saved is refused before it starts, and a refused run leaves nothing.
   */
  async checkWritable(): Promise<void> {
    const refuse = (why: string): InputError => new InputError(this.outDir, `cannot create the report folder: ${why}`);
    for (let dir = resolve(this.outDir); ; dir = dirname(dir)) {
      let folder: boolean;
      try {
        folder = (await stat(dir)).isDirectory();
      } catch (error) {
        // Not there yet (or under a file): the first ancestor that exists decides.
        const code = (error as NodeJS.ErrnoException).code;
        if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(dir) !== dir) continue;
        throw refuse(toError(error).message);
      }
      if (!folder) throw refuse(`${dir} is not a folder`);
      try {
        await access(dir, constants.W_OK);
      } catch {
        throw refuse(`${dir} is not writable`);
      }
      return;
    }
  }

  /** Writes every chosen output; returns the paths written, in REPORT_FORMATS order. */
  async write(report: RunReport): Promise<readonly string[]> {
    try {
      await mkdir(this.outDir, { recursive: true });
    } catch (error) {
      throw new InputError(this.outDir, `cannot create the report folder: ${toError(error).message}`, { cause: error });
    }
    const paths: string[] = [];
    for (const format of this.formats) {
      const renderer: Renderer = RENDERERS[format];
      if (format === 'json') {
        paths.push(await this.replace(REPORT_FILES[format], await renderer(report)));
        continue;
      }
      try {
        paths.push(await this.replace(REPORT_FILES[format], await renderer(report)));
        this.failed.delete(format);
      } catch (error) {
        // The first reason stands until the output is written again, so callers can report it once.
        if (!this.failed.has(format)) this.failed.set(format, `${REPORT_FILES[format]} was not written: ${toError(error).message}`);
      }
    }
    return paths;
  }

  /** Outputs other than report.json that the last write could not render or write, one line each. */
  get failures(): readonly string[] {
    return [...this.failed.values()];
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
