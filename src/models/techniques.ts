/**
 * Technique selection: a pure rule table per intent, in the spirit of BetterPrompts' selector.
 * Complex prompts get the intent's full list, moderate ones two, simple ones the first only.
 */
import type { Complexity, Intent, Technique } from './taxonomy.js';
import { INTENTS } from './taxonomy.js';

const TECHNIQUES_BY_INTENT = {
  question_answering: ['zero_shot', 'chain_of_thought', 'constraints'],
  creative_writing: ['role_play', 'emotional_appeal', 'constraints'],
  code_generation: ['structured_output', 'step_by_step', 'few_shot'],
  data_analysis: ['chain_of_thought', 'structured_output', 'step_by_step'],
  reasoning: ['chain_of_thought', 'self_consistency', 'tree_of_thoughts'],
  summarization: ['structured_output', 'constraints', 'zero_shot'],
  translation: ['role_play', 'few_shot', 'constraints'],
  conversation: ['role_play', 'socratic', 'emotional_appeal'],
  task_planning: ['step_by_step', 'structured_output', 'tree_of_thoughts'],
  problem_solving: ['chain_of_thought', 'react', 'analogical'],
} as const satisfies Record<Intent, readonly [Technique, Technique, Technique]>;

const COUNT_BY_COMPLEXITY = { simple: 1, moderate: 2, complex: 3 } as const satisfies Record<Complexity, number>;

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

/** 1-3 techniques for an intent; an unknown intent gets zero_shot (the selector's fallback). */
export function chooseTechniques(intent: string, complexity: Complexity = 'moderate'): Technique[] {
  if (!isIntent(intent)) return ['zero_shot'];
  return TECHNIQUES_BY_INTENT[intent].slice(0, COUNT_BY_COMPLEXITY[complexity]);
}
