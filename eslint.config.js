import tseslint from 'typescript-eslint';

/**
 * A spread in a call passes every element as an argument on the stack: past some tens of thousands of elements
 * (a run's events, pods or nodes at scale) it throws "Maximum call stack size exceeded". Banned on the calls where
 * that happened or is easy to write, everywhere outside the tests, bounded or not, so no unbounded one slips in.
 */
export const UNBOUNDED_SPREAD = [
  {
    selector: "CallExpression[callee.property.name=/^(push|unshift|splice|concat)$/] > SpreadElement",
    message: 'A spread into push/unshift/splice/concat overflows the stack on a large array: loop (for (const x of xs) out.push(x)).',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min)$/] > SpreadElement",
    message: 'Math.max/Math.min(...xs) overflows the stack on a large array: use xs.reduce((a, b) => Math.max(a, b), -Infinity).',
  },
  {
    selector: "CallExpression[callee.object.name='String'][callee.property.name=/^(fromCharCode|fromCodePoint)$/] > SpreadElement",
    message: 'String.fromCharCode(...codes) overflows the stack on a large array: decode with TextDecoder or in chunks.',
  },
];

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
          message: 'Read time through the injected Clock (provisioner/runtime/clock.ts), never Date.now.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Draw randomness from the injected seeded Random (provisioner/runtime/random.ts).',
        },
        {
          selector: "CallExpression[callee.name=/^(setTimeout|setInterval)$/]",
          message: 'Schedule through the injected Clock (provisioner/runtime/clock.ts), never setTimeout/setInterval.',
        },
        ...UNBOUNDED_SPREAD,
      ],
    },
  },
  {
    // The clock folder is where real time lives; tests, benchmarks and process management at the edges may sleep.
    files: ['harness/clock/**', 'bench/**', 'kind/**', 'reports/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...UNBOUNDED_SPREAD] },
  },
  {
    // The provisioner is target-agnostic: the sim and every live target run the same code, so it may depend on
    // nothing that knows about a target, the CLI or a report. What it needs from its host (a Clock, a Random, a
    // Recorder and the event vocabulary) lives in provisioner/runtime/.
    files: ['provisioner/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(harness|scenarios|reports|bench|kind|test)/',
              message: 'provisioner/ must not import from harness/, scenarios/, reports/, bench/, kind/ or test/: move the shared piece into provisioner/runtime/ or inject it.',
            },
          ],
        },
      ],
    },
  },
  {
    // A promise nobody awaits breaks the sim's determinism (its continuation runs after later timers) and hides a
    // rejected cloud call: where the CloudProvider is called, every promise is awaited, returned to the clock that
    // owns it, or handled. Type-aware, so only these folders pay for it.
    files: ['provisioner/**/*.ts', 'harness/sim/**/*.ts', 'harness/clock/**/*.ts'],
    // allowDefaultProject: the lint tests (test/unit/lint) lint snippets under these folders that are not on disk.
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['provisioner/*/snippet.ts', 'harness/*/snippet.ts'] }, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    // Tests build small fixed inputs and may sleep to bound a process.
    files: ['test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
