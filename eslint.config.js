import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**', 'test-results/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read time through the injected Clock (harness/clock), never Date.now.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Draw randomness from the injected seeded Random (harness/clock/random.ts).',
        },
        {
          selector: "CallExpression[callee.name=/^(setTimeout|setInterval)$/]",
          message: 'Schedule through the injected Clock (harness/clock), never setTimeout/setInterval.',
        },
      ],
    },
  },
  {
    // The clock folder is where real time lives; tests, benchmarks and process management at the edges may sleep.
    files: ['harness/clock/**', 'test/**', 'bench/**', 'kind/**', 'reports/**/*.test.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
