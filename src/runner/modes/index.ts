/** Which RunMode measures a workload's plan: its server sweep, its scenario, else --search, else the sweep. */
import type { Workload } from '../../core/workload.js';
import type { SignoffSettings } from '../../core/workload.js';
import type { RunMode } from '../run-mode.js';
import { scenarioMode } from './scenario.js';
import { searchMode } from './search.js';
import { serverConfigMode, type ServerModeOptions } from './server-config.js';
import { sweepMode } from './sweep.js';

export function runModeFor(workload: Workload, signoff: SignoffSettings, server: ServerModeOptions): RunMode {
  if (workload.server) return serverConfigMode(workload.server, server);
  if (workload.scenario) return scenarioMode(workload.scenario);
  return signoff.search ? searchMode : sweepMode;
}
