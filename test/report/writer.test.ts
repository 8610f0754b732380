import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { ReportWriter } from '../../src/report/writer.js';
import { syntheticReport } from './synthetic-run.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pipebench-writer-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ReportWriter', () => {
  it('creates the folder, writes report.json and report.md, and they read back as written', async () => {
    const outDir = join(root, 'reports', 'run-1');
    const report = syntheticReport();
    const paths = await new ReportWriter(outDir).write(report);
    expect(paths).toEqual([join(outDir, 'report.json'), join(outDir, 'report.md')]);
    expect(JSON.parse(await readFile(paths[0] ?? '', 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(await readFile(paths[1] ?? '', 'utf8')).toBe(renderMarkdown(report));
    expect((await readdir(outDir)).sort()).toEqual(['report.json', 'report.md']);
  });

  it('rewrites in place after every step and leaves no temp files', async () => {
    const writer = new ReportWriter(root);
    await writer.write(syntheticReport({ partial: true }));
    await writer.write(syntheticReport());
    expect((await readdir(root)).sort()).toEqual(['report.json', 'report.md']);
    const json = JSON.parse(await readFile(join(root, 'report.json'), 'utf8')) as { partial: boolean };
    expect(json.partial).toBe(false);
  });

  it('a folder that cannot be created is an InputError naming it', async () => {
    const blocker = join(root, 'file');
    await writeFile(blocker, 'not a folder');
    const error = await new ReportWriter(join(blocker, 'out')).write(syntheticReport()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toBe(join(blocker, 'out'));
  });
});
