/**
 * Target texts the prompt generator is trained to write: an enhanced prompt built from the
 * intent (role and task framing), the prompt (a named language, when there is one) and one
 * instruction per technique, in order.
 */
import type { Intent, Technique } from '../taxonomy.js';
import { SLOTS } from './corpus-templates.js';

const ROLE = {
  question_answering: 'You are a knowledgeable teacher who explains things clearly.',
  creative_writing: 'You are an award-winning creative writer.',
  code_generation: 'You are an expert software engineer.',
  data_analysis: 'You are an experienced data analyst.',
  reasoning: 'You are a careful logician.',
  summarization: 'You are a skilled editor who writes precise summaries.',
  translation: 'You are a professional translator.',
  conversation: 'You are a friendly and thoughtful conversation partner.',
  task_planning: 'You are an experienced project planner.',
  problem_solving: 'You are a patient troubleshooting expert.',
} as const satisfies Record<Intent, string>;

const TASK = {
  question_answering: 'Answer the question accurately and mention what you are unsure about.',
  creative_writing: 'Write the piece with vivid images and a clear voice.',
  code_generation: 'Write clean, tested code and explain the key choices.',
  data_analysis: 'Describe the data, compute the numbers, and state what they mean.',
  reasoning: 'Check each premise before you draw a conclusion.',
  summarization: 'Keep only the main points and do not add new facts.',
  translation: 'Keep the meaning and the tone of the original.',
  conversation: 'Reply warmly and keep the conversation going.',
  task_planning: 'Give a realistic plan with owners and deadlines.',
  problem_solving: 'Find the root cause before you suggest a fix.',
} as const satisfies Record<Intent, string>;

const INSTRUCTION = {
  chain_of_thought: 'Think step by step and show your reasoning before the final answer.',
  tree_of_thoughts: 'Explore three different approaches, compare them, and pick the best one.',
  few_shot: 'Follow the style of the examples given below.',
  zero_shot: 'Answer directly without examples.',
  role_play: 'Stay in your role for the whole answer.',
  step_by_step: 'Work through the task step by step: first restate the goal, then list the steps, then do them.',
  structured_output: 'Format the answer with headings and a numbered list.',
  emotional_appeal: 'This matters a lot to the user, so take care to get it right.',
  constraints: 'Keep the answer under two hundred words.',
  analogical: 'Use an analogy from everyday life to explain it.',
  self_consistency: 'Solve it twice in different ways and check that the answers agree.',
  react: 'Alternate between a thought and an action, and note what each action shows.',
  socratic: 'Ask guiding questions that help the user find the answer.',
  meta_prompting: 'First decide what a great answer looks like, then write it.',
  recursive: 'Review your answer and improve it once more.',
  adversarial: 'Consider how the answer could be wrong and address it.',
} as const satisfies Record<Technique, string>;

function namedIn(text: string, names: readonly string[]): string | undefined {
  const lower = ` ${text.toLowerCase()} `;
  return names.find((n) => lower.includes(` ${n.toLowerCase()} `) || lower.includes(` ${n.toLowerCase()},`));
}

function focus(intent: Intent, text: string): string {
  if (intent === 'code_generation') {
    const lang = namedIn(text, SLOTS['lang'] ?? []);
    return lang === undefined ? '' : ` Use ${lang}.`;
  }
  if (intent === 'translation') {
    const lang = namedIn(text, SLOTS['langName'] ?? []);
    return lang === undefined ? '' : ` Translate into natural ${lang}.`;
  }
  return '';
}

export function enhancedText(text: string, intent: Intent, techniques: readonly Technique[]): string {
  const steps = techniques.map((t) => INSTRUCTION[t]).join(' ');
  return `${ROLE[intent]}${focus(intent, text)} ${steps} ${TASK[intent]} Here is the request:`;
}
