/**
 * How a run earns its numbers (issue 5): stability windows per step, repeats of the whole sweep,
 * and an adaptive search instead of the full sweep. A resolved workload carries them as its
 * `signoff` field (echoed in report.json); `signoffOf` gives the defaults for a Workload built
 * without them.
 */
import { FIELD_NAMES, type OverrideNames } from './override-names.js';
import { InputError } from '../errors.js';
import type { SignoffSettings, StabilitySettings, Workload } from '../core/workload.js';

export type SignoffWorkload = Workload & { readonly signoff: SignoffSettings };

export const DEFAULT_STABILITY: StabilitySettings = { windows: 3, tolerance: 0.1, maxExtendMs: null };
export const DEFAULT_SIGNOFF: SignoffSettings = { stability: DEFAULT_STABILITY, repeat: 1, search: false };
export const MAX_REPEAT = 100;
export const MAX_STABILITY_WINDOWS = 100;

export function signoffOf(workload: Workload): SignoffSettings {
  return workload.signoff ?? DEFAULT_SIGNOFF;
}

export function withSignoff(workload: Workload, signoff: SignoffSettings): SignoffWorkload {
  return { ...workload, signoff };
}

/** Overrides from flags; each is checked here so any caller gets the same rules. */
export interface SignoffOverrides {
  readonly stabilityWindows?: number;
  readonly stabilityTolerance?: number;
  readonly maxExtendMs?: number;
  /** false with --no-stability. */
  readonly stability?: false;
  readonly repeat?: number;
  readonly search?: true;
}

export function applySignoffOverrides(workload: Workload, o: SignoffOverrides, names: OverrideNames = FIELD_NAMES): SignoffWorkload {
  const current = signoffOf(workload);
  if (o.repeat !== undefined && !(Number.isInteger(o.repeat) && o.repeat >= 1 && o.repeat <= MAX_REPEAT)) {
    throw new InputError(names.repeat, `expected an integer from 1 to ${MAX_REPEAT}, got ${o.repeat}`);
  }
  if (
    o.stabilityWindows !== undefined &&
    !(Number.isInteger(o.stabilityWindows) && o.stabilityWindows >= 2 && o.stabilityWindows <= MAX_STABILITY_WINDOWS)
  ) {
    throw new InputError(names.stabilityWindows, `expected an integer from 2 to ${MAX_STABILITY_WINDOWS}, got ${o.stabilityWindows}`);
  }
  if (o.stabilityTolerance !== undefined && !(o.stabilityTolerance > 0 && o.stabilityTolerance <= 1)) {
    throw new InputError(names.stabilityTolerance, `expected a ratio above 0 up to 1 (or "10%"), got ${o.stabilityTolerance}`);
  }
  if (o.maxExtendMs !== undefined && !(Number.isFinite(o.maxExtendMs) && o.maxExtendMs >= 0)) {
    throw new InputError(names.maxExtendMs, `expected a duration >= 0, got ${o.maxExtendMs} ms`);
  }
  const tuning = o.stabilityWindows !== undefined || o.stabilityTolerance !== undefined || o.maxExtendMs !== undefined;
  if (o.stability === false && tuning) {
    throw new InputError(
      names.stability,
      `expected ${names.stability} alone, got it with ${names.stabilityWindows}, ${names.stabilityTolerance} or ${names.maxExtendMs}`,
    );
  }
  // Tuning flags switch stability on even where the file said `stability: false`.
  const base = current.stability ?? DEFAULT_STABILITY;
  const stability: StabilitySettings | null =
    o.stability === false
      ? null
      : !tuning
        ? current.stability
        : {
            windows: o.stabilityWindows ?? base.windows,
            tolerance: o.stabilityTolerance ?? base.tolerance,
            maxExtendMs: o.maxExtendMs ?? base.maxExtendMs,
          };
  const signoff: SignoffSettings = { stability, repeat: o.repeat ?? current.repeat, search: o.search ?? current.search };
  if (signoff.search && signoff.repeat > 1) {
    throw new InputError(names.repeat, `expected 1 with ${names.search} (a search decides its steps as it goes), got ${signoff.repeat}`);
  }
  return withSignoff(workload, signoff);
}
