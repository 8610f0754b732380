/** Request body checks shared by the routes; each failure is a 400 {error, details} naming the field. */
import { TECHNIQUES, type Technique } from '../models/taxonomy.js';
import { HttpError } from './http-error.js';

export const MAX_TEXT_CHARS = 5000;

export type JsonObject = Readonly<Record<string, unknown>>;

function invalid(details: string): HttpError {
  return new HttpError(400, 'invalid request', details);
}

export function objectBody(body: unknown): JsonObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('the body must be a JSON object');
  return body as JsonObject;
}

/** A prompt text: a string of 1-5000 characters, as the BetterPrompts services accept. */
export function promptText(value: unknown, field: string): string {
  if (value === undefined || value === null) throw invalid(`field "${field}" is required`);
  if (typeof value !== 'string') throw invalid(`field "${field}" must be a string`);
  if (value.length < 1 || value.length > MAX_TEXT_CHARS) {
    throw invalid(`field "${field}" must have 1 to ${MAX_TEXT_CHARS} characters, got ${value.length}`);
  }
  return value;
}

export function textList(value: unknown, field: string, maxItems: number): string[] {
  if (!Array.isArray(value)) throw invalid(`field "${field}" must be an array of strings`);
  if (value.length < 1 || value.length > maxItems) throw invalid(`field "${field}" must have 1 to ${maxItems} items, got ${value.length}`);
  return value.map((item, i) => promptText(item, `${field}[${i}]`));
}

export function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(`field "${field}" is required and must be a non-empty string`);
  return value;
}

export function techniqueList(value: unknown, field: string): Technique[] {
  if (!Array.isArray(value)) throw invalid(`field "${field}" is required and must be an array of technique names`);
  return value.map((name, i) => {
    if (typeof name !== 'string' || !(TECHNIQUES as readonly string[]).includes(name)) {
      throw invalid(`${field}[${i}]: unknown technique ${JSON.stringify(name)} (known: ${TECHNIQUES.join(', ')})`);
    }
    return name as Technique;
  });
}

export function optionalPositiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(`field "${field}" must be a positive integer`);
  return value;
}

export function optionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalid(`field "${field}" must be true or false`);
  return value;
}
