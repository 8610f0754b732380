/**
 * Dockerfile.cuda checked without a Docker engine: the base image's CUDA and cuDNN are what
 * @tensorflow/tfjs-node-gpu's libtensorflow needs, Node is an LTS line the package supports, the
 * runtime stage runs as a non-root user, carries no dev dependencies, and starts pipebench.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, readInstructions, stageNamed, type Stage } from './dockerfile.js';

const ROOT = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(ROOT, 'Dockerfile.cuda'), 'utf8');
const dockerfile = parseDockerfile(text);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  bin: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

/** What each tfjs-node-gpu major binds (its package.json "tensorflow" field) and what that build needs. */
const TFJS_NODE_GPU_NEEDS = { 4: { libtensorflow: '2.9.1', cuda: '11.2', cudnn: '8.1' } } as const;

const runtime = dockerfile.stages.at(-1)!;
const build = stageNamed(dockerfile, 'build')!;
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const last = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).at(-1);

describe('Dockerfile.cuda', () => {
  it('reads instructions with continuations and comments', () => {
    const instructions = readInstructions('# c\nFROM a AS b\nRUN x \\\n  # inner comment\n  && y\n\nUSER u\n');
    expect(instructions).toEqual([
      { keyword: 'FROM', args: 'a AS b', line: 2 },
      { keyword: 'RUN', args: 'x && y', line: 3 },
      { keyword: 'USER', args: 'u', line: 7 },
    ]);
  });

  it('builds and runs on the CUDA and cuDNN that tfjs-node-gpu needs', () => {
    const major = Number(/(\d+)/.exec(pkg.optionalDependencies['@tensorflow/tfjs-node-gpu'] ?? '')?.[1]);
    const needs = TFJS_NODE_GPU_NEEDS[major as keyof typeof TFJS_NODE_GPU_NEEDS];
    expect(needs, `no known CUDA needs for tfjs-node-gpu ${major}`).toBeDefined();
    const installed = join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node-gpu', 'package.json');
    if (existsSync(installed)) {
      expect((JSON.parse(readFileSync(installed, 'utf8')) as { tensorflow?: string }).tensorflow).toBe(needs.libtensorflow);
    }
    for (const stage of [build, runtime]) {
      const image = /^nvidia\/cuda:(\d+\.\d+)(?:\.\d+)?-cudnn(\d+)-(runtime|devel)-ubuntu\d+\.\d+$/.exec(stage.image);
      expect(image, stage.image).not.toBeNull();
      expect(image![1]).toBe(needs.cuda);
      expect(image![2]).toBe(needs.cudnn.split('.')[0]);
    }
    // The tag names cuDNN's major only: the build itself must prove the minor.
    expect(runs(runtime).some((run) => run.includes(`libcudnn.so.${needs.cudnn}.`))).toBe(true);
  });

  it('takes Node from an LTS line the package supports', () => {
    const nodeStage = stageNamed(dockerfile, 'node')!;
    const major = Number(/^node:(\d+)/.exec(nodeStage.image)?.[1]);
    expect(major % 2).toBe(0); // even majors become LTS
    expect(major).toBeGreaterThanOrEqual(Number(/(\d+)/.exec(pkg.engines.node)![1]));
    expect(runtime.instructions.some((i) => i.keyword === 'COPY' && i.args === '--from=node /usr/local/bin/node /usr/local/bin/node')).toBe(true);
  });

  it('installs exactly from the lockfile and ships no dev dependencies', () => {
    expect(runs(build).some((run) => /\bnpm ci\b/.test(run) && run.includes('--include=optional'))).toBe(true);
    expect(runs(build).some((run) => /npm prune --omit=dev/.test(run))).toBe(true);
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=build /app/node_modules ./node_modules');
    // From the build context only committed assets: no sources, tests or a whole-context copy.
    const fromContext = copies.filter((c) => !c.startsWith('--from=')).map((c) => c.split(' ')[0]!);
    expect(fromContext).toEqual(['models', 'workloads', 'schema']);
    for (const path of fromContext) expect(existsSync(join(ROOT, path)), path).toBe(true);
    expect(runs(runtime).some((run) => /npm (ci|install)/.test(run))).toBe(false);
  });

  it('runs as a non-root user with pipebench as the entrypoint', () => {
    const user = last(runtime, 'USER');
    expect(user).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
    expect(runs(runtime).some((run) => run.includes(`useradd`) && run.includes(user!.args))).toBe(true);
    const entrypoint = last(runtime, 'ENTRYPOINT')!;
    expect(entrypoint.line).toBeGreaterThan(user!.line);
    expect(JSON.parse(entrypoint.args)).toEqual(['pipebench']);
    const binPath = pkg.bin.pipebench!.replace(/^\.\//, '');
    expect(runs(runtime).some((run) => run.includes(`ln -s /app/${binPath} /usr/local/bin/pipebench`))).toBe(true);
  });

  it('lets nvidia-smi and CUDA into the container', () => {
    const env = runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/NVIDIA_DRIVER_CAPABILITIES=\S*compute/);
    expect(env).toMatch(/NVIDIA_DRIVER_CAPABILITIES=\S*utility/);
  });
});
