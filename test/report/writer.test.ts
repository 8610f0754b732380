import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { renderMarkdown } from '../../src/report/markdown/index.js';
import { REPORT_FILES, REPORT_FORMATS } from '../../src/report/formats.js';
import { ReportWriter } from '../../src/report/writer.js';
import { parseCsv } from './csv-reader.js';
import { syntheticReport } from './synthetic-run.js';
import { childrenNamed, parseXml } from './xml-tree.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pipebench-writer-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const CORE = ['json', 'md', 'junit', 'csv'] as const;

describe('ReportWriter', () => {
  it('writes report.json, report.md, junit.xml and steps.csv, each valid and read back as written', async () => {
    const outDir = join(root, 'reports', 'run-1');
    const report = syntheticReport();
    const paths = await new ReportWriter(outDir, { formats: CORE }).write(report);
    expect(paths).toEqual(['report.json', 'report.md', 'junit.xml', 'steps.csv'].map((name) => join(outDir, name)));
    expect(JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(await readFile(join(outDir, 'report.md'), 'utf8')).toBe(renderMarkdown(report));
    const suites = childrenNamed(parseXml(await readFile(join(outDir, 'junit.xml'), 'utf8')), 'testsuite');
    expect(suites.map((suite) => suite.attrs['name'])).toEqual(['classify', 'generate']);
    const rows = parseCsv(await readFile(join(outDir, 'steps.csv'), 'utf8'));
    expect(rows).toHaveLength(1 + report.steps.length);
    expect((await readdir(outDir)).sort()).toEqual(['junit.xml', 'report.json', 'report.md', 'steps.csv']);
  });

  it('writes every format by default, report.html through the HTML renderer', async () => {
    const paths = await new ReportWriter(root).write(syntheticReport());
    expect(paths).toEqual(REPORT_FORMATS.map((format) => join(root, REPORT_FILES[format])));
    const html = await readFile(join(root, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('2026-01-01T00-00-00Z-synthetic');
  }, 30_000);

  it('formats pick the outputs, in a fixed order whatever order they were asked in', async () => {
    const writer = new ReportWriter(root, { formats: ['csv', 'junit'] });
    expect(writer.formats).toEqual(['junit', 'csv']);
    expect(await writer.write(syntheticReport())).toEqual([join(root, 'junit.xml'), join(root, 'steps.csv')]);
    expect((await readdir(root)).sort()).toEqual(['junit.xml', 'steps.csv']);
  });

  it('rewrites in place after every step and leaves no temp files', async () => {
    const writer = new ReportWriter(root, { formats: CORE });
    await writer.write(syntheticReport({ partial: true }));
    await writer.write(syntheticReport());
    expect((await readdir(root)).sort()).toEqual(['junit.xml', 'report.json', 'report.md', 'steps.csv']);
    const json = JSON.parse(await readFile(join(root, 'report.json'), 'utf8')) as { partial: boolean };
    expect(json.partial).toBe(false);
  });

  it('an output other than report.json that cannot be written is a failure line, not an error, and clears once written', async () => {
    await mkdir(join(root, 'report.md')); // a folder where the file goes: the rename fails
    const writer = new ReportWriter(root, { formats: CORE });
    const paths = await writer.write(syntheticReport());
    expect(paths).toEqual(['report.json', 'junit.xml', 'steps.csv'].map((name) => join(root, name)));
    expect(writer.failures).toEqual([expect.stringMatching(/^report\.md was not written: /)]);
    expect(JSON.parse(await readFile(join(root, 'report.json'), 'utf8'))).toMatchObject({ runId: syntheticReport().runId });
    await rm(join(root, 'report.md'), { recursive: true });
    await writer.write(syntheticReport());
    expect(writer.failures).toEqual([]);
  });

  it('a report.json that cannot be written is an error', async () => {
    await mkdir(join(root, 'report.json'));
    await expect(new ReportWriter(root, { formats: CORE }).write(syntheticReport())).rejects.toBeInstanceOf(InputError);
  });

  it('a folder that cannot be created is an InputError naming it', async () => {
    const blocker = join(root, 'file');
    await writeFile(blocker, 'not a folder');
    const error = await new ReportWriter(join(blocker, 'out')).write(syntheticReport()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toBe(join(blocker, 'out'));
  });

  it('checkWritable refuses a folder that cannot be made before anything is written, and makes nothing', async () => {
    const blocker = join(root, 'file');
    await writeFile(blocker, 'not a folder');
    const under = join(blocker, 'deeper', 'out');
    await expect(new ReportWriter(under).checkWritable()).rejects.toThrow(
      `${under}: cannot create the report folder: ${blocker} is not a folder`,
    );
    const fresh = join(root, 'a', 'b', 'out');
    await new ReportWriter(fresh).checkWritable();
    await new ReportWriter(root).checkWritable();
    expect(await readdir(root)).toEqual(['file']); // neither a nor a/b/out was made
  });
});
