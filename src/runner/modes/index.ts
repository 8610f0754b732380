/** Which RunMode measures a workload's plan: its scenario, else --search, else the sweep. */
import type { Workload } from '../../core/workload.js';
import type { SignoffSettings } from '../../core/workload.js';
import type { RunMode } from '../run-mode.js';
import { scenarioMode } from './scenario.js';
import { searchMode } from './search.js';
import { sweepMode } from './sweep.js';

export function runModeFor(workload: Workload, signoff: SignoffSettings): RunMode {
  if (workload.scenario) return scenarioMode(workload.scenario);
  return signoff.search ? searchMode : sweepMode;
}
