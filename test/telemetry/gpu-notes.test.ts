import { describe, expect, it } from 'vitest';
import { summarizeGpuWindow } from '../../src/telemetry/gpu-aggregate.js';
import { gpuStepNotes } from '../../src/telemetry/gpu-notes.js';
import { parseH100Trace, utc } from './fixtures.js';

const trace = parseH100Trace();
const at = (stamp: string) => utc(`2026-11-26T${stamp}`);
const window = (from: string, to: string, queueMsMean?: number) =>
  summarizeGpuWindow(trace, at(from), at(to), queueMsMean === undefined ? {} : { queueMsMean })[0]!;

describe('gpuStepNotes on the real H100 trace', () => {
  it('notes the power cap during the large batches', () => {
    const notes = gpuStepNotes(window('18:49:11.9', '18:49:13.9'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^GPU 0 clocks were throttled \(sw_power_cap\) in \d+ % of samples: SM clock 15\d\d-\d+ MHz .* of a 700 W limit;/,
    );
  });

  it('notes an idle GPU while items queue, and not when they do not', () => {
    const batchOne = '18:49:00.1';
    expect(gpuStepNotes(window(batchOne, '18:49:02.0', 40))[0]).toMatch(
      /^GPU 0 ran a kernel only \d+ % of the step while items waited 40\.0 ms/,
    );
    expect(gpuStepNotes(window(batchOne, '18:49:02.0', 0.5))).toEqual([]);
    expect(gpuStepNotes(window(batchOne, '18:49:02.0'))).toEqual([]);
  });

  it('says nothing about an idle GPU with gpu_idle clocks', () => {
    expect(gpuStepNotes(window('18:48:40', '18:48:50'))).toEqual([]);
  });
});
