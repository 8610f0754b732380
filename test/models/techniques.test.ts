import { describe, expect, it } from 'vitest';
import { COMPLEXITIES, INTENTS, TECHNIQUES } from '../../src/models/taxonomy.js';
import { chooseTechniques } from '../../src/models/techniques.js';

describe('chooseTechniques', () => {
  it('gives 1-3 known, distinct techniques for every intent and complexity', () => {
    for (const intent of INTENTS) {
      for (const complexity of COMPLEXITIES) {
        const chosen = chooseTechniques(intent, complexity);
        expect(chosen.length).toBeGreaterThanOrEqual(1);
        expect(chosen.length).toBeLessThanOrEqual(3);
        expect(new Set(chosen).size).toBe(chosen.length);
        for (const t of chosen) expect(TECHNIQUES).toContain(t);
      }
    }
  });

  it('follows the rule table (more techniques for more complex prompts)', () => {
    expect(chooseTechniques('code_generation', 'moderate')).toEqual(['structured_output', 'step_by_step']);
    expect(chooseTechniques('reasoning', 'complex')).toEqual(['chain_of_thought', 'self_consistency', 'tree_of_thoughts']);
    expect(chooseTechniques('summarization', 'simple')).toEqual(['structured_output']);
    expect(chooseTechniques('reasoning')).toEqual(chooseTechniques('reasoning', 'moderate'));
  });

  it('falls back to zero_shot for an unknown intent', () => {
    expect(chooseTechniques('astrology')).toEqual(['zero_shot']);
  });
});
