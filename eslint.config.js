import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The floors of src/, top to bottom (README "Layout"). A file may import its own room and any room
 * on a lower floor; an import of a room on its own floor or above fails lint. Files at the top of
 * src/ (errors.ts, format.ts, random.ts, package-root.ts) are the ground floor beside core/; the
 * library entry src/index.ts stands on the top floor beside cli/.
 */
export const FLOORS = [
  ['cli', 'bench'],
  ['runner', 'serve', 'setup'],
  ['report'],
  ['analysis'],
  ['load'],
  ['targets'],
  ['telemetry', 'models', 'workload'],
  ['metrics'],
  ['core'],
];

/** Depth of a file below src/: src/x/a.ts is 1, src/x/y/a.ts is 2 (so its rooms are at ../../). */
const MAX_DEPTH = 4;

/** no-restricted-imports configs: for each room and depth, a relative import reaching a room not below it. */
function floorRules() {
  const configs = [];
  FLOORS.forEach((floor, level) => {
    const notBelow = FLOORS.slice(0, level + 1).flat();
    for (const room of floor) {
      const others = notBelow.filter((other) => other !== room);
      if (others.length === 0) continue;
      for (let depth = 1; depth <= MAX_DEPTH; depth++) {
        const files = [`src/${room}/${'*/'.repeat(depth - 1)}*.ts`];
        const up = '\\.\\./'.repeat(depth);
        configs.push({
          files,
          rules: {
            'no-restricted-imports': [
              'error',
              {
                patterns: [
                  {
                    regex: `^${up}(${others.join('|')})/`,
                    message: `src/${room}/ may import only rooms on lower floors (eslint.config.js FLOORS, README "Layout"): this import runs back up.`,
                  },
                ],
              },
            ],
          },
        });
      }
    }
  });
  // The ground-floor files at the top of src/ import no room at all.
  configs.push({
    files: ['src/*.ts'],
    ignores: ['src/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: `^\\./(${FLOORS.flat().join('|')})/`, message: 'src/*.ts files are the ground floor: they import no room.' }] },
      ],
    },
  });
  return configs;
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'reports/', 'coverage/', '.device/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error'],
    },
  },
  {
    // Only the process edge and scripts may write to the console.
    files: ['src/cli/**', 'scripts/**', 'bench/**', 'src/bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  ...floorRules(),
);
