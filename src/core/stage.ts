/** The pipeline stages a step can drive. */
export type Stage = 'classify' | 'generate' | 'pipeline';

export const STAGES = ['classify', 'generate', 'pipeline'] as const satisfies readonly Stage[];
