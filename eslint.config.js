import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);
