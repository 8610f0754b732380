/** Reading a saved report.json back (pipebench report, the library's loadReport). */
import { REPORT_SCHEMA_VERSION, type RunReport } from '../core/report/run.js';
import { InputError, toError } from '../errors.js';
import { readInputFile } from '../workload/yaml-file.js';

/** A saved report.json, checked enough to re-analyse: the schema version and the fields used here. */
export async function loadReport(path: string): Promise<RunReport> {
  const text = await readInputFile(path, 'the report');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(path, `expected a pipebench report.json, got text that is not JSON (${toError(error).message})`, { cause: error });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InputError(path, 'expected a pipebench report.json (a JSON object), got something else');
  const record = data as Record<string, unknown>;
  if (record['schemaVersion'] !== REPORT_SCHEMA_VERSION) {
    throw new InputError(
      path,
      `expected a report with schemaVersion ${REPORT_SCHEMA_VERSION}, got ${JSON.stringify(record['schemaVersion']) ?? 'none'}`,
    );
  }
  for (const [field, ok] of [
    ['runId', typeof record['runId'] === 'string'],
    ['steps', Array.isArray(record['steps'])],
    ['workload', isObject(record['workload'])],
    ['budget', isObject(record['budget'])],
    ['environment', isObject(record['environment'])],
  ] as const) {
    if (!ok)
      throw new InputError(
        `${path}: ${field}`,
        `expected the field a pipebench report.json has, got ${JSON.stringify(record[field]) ?? 'nothing'}`,
      );
  }
  return data as RunReport;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
