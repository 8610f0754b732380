/** report.html's "What limited each step": one line per step, its verdict and the evidence that decided it. */
import type { RunReport } from '../../core/report/run.js';
import { stepLabel } from './chart-data.js';
import { escapeHtml } from './escape.js';
import type { PageSection } from './page.js';

/** Null when no step carries a verdict (reports written before verdicts existed). */
export function bottleneckSection(report: RunReport): PageSection | null {
  const items = report.steps.flatMap((step) => {
    const bottleneck = step.bottleneck;
    if (bottleneck === undefined) return [];
    const name = step.profile ? `${stepLabel(step)} "${step.profile.name}"` : stepLabel(step);
    const evidence = bottleneck.evidence.length === 0 ? '' : `: ${escapeHtml(bottleneck.evidence.join('; '))}`;
    return [
      `<li><span class="step">${escapeHtml(name)}</span>: <strong class="verdict">${escapeHtml(bottleneck.verdict)}</strong>${evidence}</li>`,
    ];
  });
  if (items.length === 0) return null;
  return { kind: 'html', id: 'bottlenecks', title: 'What limited each step', html: `<ul class="bottlenecks">${items.join('')}</ul>` };
}
