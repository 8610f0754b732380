/** What report.json records of a loaded model. */

export type ModelTask = 'classify' | 'generate';

/** Plain-data description of a loaded model, recorded in report.json. */
export interface ModelInfo {
  readonly name: string;
  readonly task: ModelTask;
  readonly version: string;
  readonly format: 'layers' | 'graph' | 'saved-model';
  readonly size: string; // "small", "base", or "custom"
  readonly parameters: number;
  readonly maxSequenceLength: number;
  readonly dir: string;
}
