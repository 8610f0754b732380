/**
 * Dockerfile.cuda checked without a Docker engine: the base image's CUDA and cuDNN are what the
 * TensorFlow that `pipebench setup native --gpu` builds the addon against needs, the build stage
 * builds it that way (with Node's headers at hand), Node is an LTS line the package supports, the
 * runtime stage runs as a non-root user, carries no dev dependencies, and starts pipebench.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TESTED_TENSORFLOW } from '../../src/setup/tested-tensorflow.js';
import { parseDockerfile, readInstructions, stageNamed, type Stage } from './dockerfile.js';

const ROOT = join(import.meta.dirname, '..', '..');
const text = readFileSync(join(ROOT, 'Dockerfile.cuda'), 'utf8');
const dockerfile = parseDockerfile(text);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  bin: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

/**
 * What the GPU build of each TensorFlow release setup builds against was built with (its wheel's
 * build_info and the and-cuda extra: nvidia-cuda-runtime-cu12 >= 12.5, nvidia-cudnn-cu12 >= 9.3).
 * CUDA libraries of the same major and a later minor run it; cuDNN must be the same major.
 */
const TENSORFLOW_GPU_NEEDS = { '2.21.0': { cuda: '12.5', cudnnMajor: '9' } } as const;

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

  it('builds and runs on CUDA and cuDNN that the TensorFlow setup builds against can use', () => {
    const needs = TENSORFLOW_GPU_NEEDS[TESTED_TENSORFLOW as keyof typeof TENSORFLOW_GPU_NEEDS];
    expect(needs, `no known CUDA needs for TensorFlow ${TESTED_TENSORFLOW}`).toBeDefined();
    const [needMajor, needMinor] = needs.cuda.split('.').map(Number) as [number, number];
    for (const stage of [build, runtime]) {
      // CUDA 12.4+ images name their cuDNN "cudnn" (cuDNN 9); older ones "cudnn8".
      const image = /^nvidia\/cuda:(\d+)\.(\d+)(?:\.\d+)?-cudnn(\d*)-(runtime|devel)-ubuntu\d+\.\d+$/.exec(stage.image);
      expect(image, stage.image).not.toBeNull();
      expect(Number(image![1])).toBe(needMajor);
      expect(Number(image![2])).toBeGreaterThanOrEqual(needMinor);
      expect(image![3] === '' ? '9' : image![3]).toBe(needs.cudnnMajor);
    }
    // The tag does not pin cuDNN's major for every CUDA line: the runtime build must prove it, and CUDA's.
    expect(runs(runtime).some((run) => run.includes(`libcudnn.so.${needs.cudnnMajor}.`) && run.includes(`libcudart.so.${needMajor}`))).toBe(
      true,
    );
  });

  it('builds the native addon with pipebench setup native --gpu, Node headers at hand, toolchain installed', () => {
    const setup = runs(build).filter((run) => /\bsetup native\b/.test(run));
    expect(setup).toHaveLength(1);
    expect(setup[0]).toMatch(/\bsetup native --gpu\b/);
    // No GPU while an image builds: verified on the CPU, checked on the GPU at run time.
    expect(setup[0]).toContain('--allow-no-gpu');
    const setupLine = build.instructions.find((i) => i.keyword === 'RUN' && i.args === setup[0])!.line;
    const buildLine = build.instructions.find((i) => i.keyword === 'RUN' && /npm run build/.test(i.args))!.line;
    expect(setupLine).toBeGreaterThan(buildLine);
    const copies = build.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=node /usr/local/include/node /usr/local/include/node');
    expect(copies).toContain('models ./models');
    const apt = runs(build).find((run) => run.includes('apt-get install')) ?? '';
    for (const tool of ['python3', 'python3-pip', 'make', 'g++', 'binutils']) expect(apt.split(/\s+/), tool).toContain(tool);
  });

  it('takes Node from an LTS line the package supports', () => {
    const nodeStage = stageNamed(dockerfile, 'node')!;
    const major = Number(/^node:(\d+)/.exec(nodeStage.image)?.[1]);
    expect(major % 2).toBe(0); // even majors become LTS
    expect(major).toBeGreaterThanOrEqual(Number(/(\d+)/.exec(pkg.engines.node)![1]));
    expect(runtime.instructions.some((i) => i.keyword === 'COPY' && i.args === '--from=node /usr/local/bin/node /usr/local/bin/node')).toBe(
      true,
    );
  });

  it('installs exactly from the lockfile and ships no dev dependencies', () => {
    expect(runs(build).some((run) => /\bnpm ci\b/.test(run))).toBe(true);
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
    const env = runtime.instructions
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/NVIDIA_DRIVER_CAPABILITIES=\S*compute/);
    expect(env).toMatch(/NVIDIA_DRIVER_CAPABILITIES=\S*utility/);
  });
});
