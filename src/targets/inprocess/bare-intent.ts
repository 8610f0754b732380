/**
 * A bare `generate` step needs an intent and techniques without running the classifier: a
 * cheap deterministic rule (FNV-1a of the text picks the intent), so generation timing never
 * depends on a classifier run and the same text always gets the same input.
 */
import { chooseTechniques } from '../../models/techniques.js';
import { INTENTS, type Intent, type Technique } from '../../models/taxonomy.js';

export function bareIntent(text: string): Intent {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return INTENTS[(hash >>> 0) % INTENTS.length] as Intent;
}

export function bareTechniques(text: string): Technique[] {
  return chooseTechniques(bareIntent(text));
}
