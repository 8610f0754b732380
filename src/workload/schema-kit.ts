/**
 * The building blocks every workload schema uses (schema.ts, target-schema.ts), so all messages
 * read alike: "expected X, got Y", with units converted on the way in.
 */
import { z } from 'zod';
import { describeValue, parseDurationMs, parseRatio } from './units.js';

type Expectation = (issue: { readonly input?: unknown }) => string;

/** The message maker every schema below uses, so all errors read alike. */
export function expected(what: string): Expectation {
  return (issue) => `expected ${what}, got ${describeValue(issue.input)}`;
}

export function intBetween(min: number, max: number, what = `an integer from ${min} to ${max}`) {
  const error = expected(what);
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A number-or-string field checked by `accept`, which returns the value in internal units or undefined. */
export function scalar<T>(what: string, accept: (raw: number | string) => T | undefined) {
  const error = expected(what);
  return z.union([z.number(), z.string()], { error }).transform((raw, ctx) => {
    const value = accept(raw);
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', message: error({ input: raw }), input: raw });
      return z.NEVER;
    }
    return value;
  });
}

const DURATION_EXAMPLES = '"500ms", "10s" or "2m" (a bare number means ms)';

export function durationMs(options: { readonly allowZero?: boolean } = {}) {
  const what = options.allowZero ? `a duration >= 0 such as ${DURATION_EXAMPLES}` : `a positive duration such as ${DURATION_EXAMPLES}`;
  return scalar(what, (raw) => {
    const ms = parseDurationMs(raw);
    return ms !== undefined && (ms > 0 || (options.allowZero === true && ms === 0)) ? ms : undefined;
  });
}

export function ratio() {
  return scalar('a ratio from 0 to 1 such as 0.01, or a percentage from 0% to 100% such as "1%"', (raw) => {
    const value = parseRatio(raw);
    return value !== undefined && value >= 0 && value <= 1 ? value : undefined;
  });
}

export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expected(`one of ${values.join(', ')}`) });
}

/** A strict object whose unknown-key message lists the allowed keys. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  const wrongType = expected(`a mapping with keys ${allowed}`);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${allowed})`
        : wrongType(issue),
  });
}

export const text = (what: string) => {
  const error = expected(what);
  return z.string({ error }).min(1, { error });
};
