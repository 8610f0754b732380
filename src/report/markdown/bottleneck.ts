/** report.md's bottleneck lines: under a stage's (or a scenario's) table, one line per step with its verdict and evidence. */
import type { StepReport } from '../../core/report/step.js';
import { loadLevel } from './load.js';
import { markdownText } from './table.js';

/** "batch 8 x8", "batch 4 20/s", or the scenario's load stage by name. */
function stepName(step: StepReport): string {
  if (step.profile) return `load stage "${step.profile.name}"`;
  const level = loadLevel(step);
  return `batch ${step.batchSize}${level === '-' ? '' : ` ${level}`}${step.mode === 'static' ? ' (static)' : ''}`;
}

/** "- batch 8 x8: **transport**: requests took …; …". */
export function bottleneckLine(step: StepReport): string | null {
  const bottleneck = step.bottleneck;
  if (bottleneck === undefined) return null;
  const evidence = bottleneck.evidence.length === 0 ? '' : `: ${bottleneck.evidence.map(markdownText).join('; ')}`;
  return `- ${markdownText(stepName(step))}: **${bottleneck.verdict}**${evidence}`;
}

/** Empty when no step carries a verdict (reports written before verdicts existed). */
export function bottleneckSection(steps: readonly StepReport[]): string {
  const lines = steps.map(bottleneckLine).filter((line): line is string => line !== null);
  return lines.length === 0 ? '' : ['What limited each step:', '', ...lines].join('\n');
}
