/**
 * Triton's model-repository extension over HTTP, the calls a server sweep makes (issue 15):
 * POST v2/repository/models/<model>/load with the configuration JSON in parameters.config (Triton
 * loads it instead of the repository's config.pbtxt, or reloads a loaded model), then
 * GET v2/models/<model>/ready until 200, and POST .../unload at the end. Every call and answer is
 * appended to the configuration's log file, so a refused load shows Triton's own words next to the report.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TargetUnavailableError } from '../../../errors.js';
import { networkReason, probeStatus } from '../status-probe.js';

const READY_POLL_MS = 100;
const REQUEST_MS = 30_000;
/** Triton's error text is kept to this many characters in a failure line. */
const ERROR_CHARS = 500;

/** A load Triton refused, or a model that never became ready: the configuration fails with this reason. */
export class TritonModelError extends TargetUnavailableError {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface TritonModel {
  /** Triton's HTTP origin. */
  readonly url: string;
  readonly model: string;
}

function modelPath(target: TritonModel, action: 'load' | 'unload'): string {
  return `${target.url}/v2/repository/models/${encodeURIComponent(target.model)}/${action}`;
}

/** The load request's body: the config as a JSON string in parameters.config, as the extension defines it. */
export function loadRequestBody(config: Readonly<Record<string, unknown>>): string {
  return JSON.stringify({ parameters: { config: JSON.stringify(config) } });
}

/** Loads (or reloads) the model with this config; throws TritonModelError with Triton's error when refused. */
export async function loadModel(target: TritonModel, config: Readonly<Record<string, unknown>>, logPath: string): Promise<void> {
  await mkdir(dirname(logPath), { recursive: true });
  const body = loadRequestBody(config);
  await writeFile(logPath, `POST ${modelPath(target, 'load')}\n${body}\n`);
  const answer = await post(modelPath(target, 'load'), body);
  await appendFile(logPath, `-> ${answer.status}: ${answer.text}\n`);
  if (answer.status !== 200)
    throw new TritonModelError(`Triton refused to load ${target.model} (${answer.status}): ${answer.error ?? answer.text}`);
}

/** Polls GET v2/models/<model>/ready until 200; throws naming the model and the last answer. */
export async function untilModelReady(target: TritonModel, timeoutMs: number, logPath: string, signal?: AbortSignal): Promise<void> {
  const url = `${target.url}/v2/models/${encodeURIComponent(target.model)}/ready`;
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline && signal?.aborted !== true) {
    last = await probeStatus(url, REQUEST_MS);
    if (last === 'HTTP 200') {
      await appendFile(logPath, `GET ${url} -> 200\n`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  await appendFile(logPath, `GET ${url} -> ${last}\n`);
  throw new TritonModelError(`model ${target.model} not ready: ${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

/** Unloads the model; the problem in one line, or null. */
export async function unloadModel(target: TritonModel): Promise<string | null> {
  const answer = await post(modelPath(target, 'unload'), '{}');
  return answer.status === 200 ? null : `Triton did not unload ${target.model} (${answer.status}): ${answer.error ?? answer.text}`;
}

interface Answer {
  readonly status: number | string;
  readonly text: string;
  /** The "error" field of a JSON error body. */
  readonly error: string | null;
}

async function post(url: string, body: string): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(REQUEST_MS),
    });
    const text = (await response.text()).slice(0, ERROR_CHARS);
    return { status: response.status, text, error: errorField(text) };
  } catch (error) {
    const reason = networkReason(error);
    return { status: reason, text: reason, error: null };
  }
}

function errorField(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : null;
  } catch {
    return null;
  }
}
