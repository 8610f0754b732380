/** The BetterPrompts taxonomy (shared/reference/betterprompts-api.md). */
export const INTENTS = [
  'question_answering',
  'creative_writing',
  'code_generation',
  'data_analysis',
  'reasoning',
  'summarization',
  'translation',
  'conversation',
  'task_planning',
  'problem_solving',
] as const;
export type Intent = (typeof INTENTS)[number];

export const COMPLEXITIES = ['simple', 'moderate', 'complex'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export const TECHNIQUES = [
  'chain_of_thought',
  'tree_of_thoughts',
  'few_shot',
  'zero_shot',
  'role_play',
  'step_by_step',
  'structured_output',
  'emotional_appeal',
  'constraints',
  'analogical',
  'self_consistency',
  'react',
  'socratic',
  'meta_prompting',
  'recursive',
  'adversarial',
] as const;
export type Technique = (typeof TECHNIQUES)[number];
