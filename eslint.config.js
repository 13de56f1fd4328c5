import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'web/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The environment is read in one place: src/config.ts parses and validates it, everything else is handed
    // the result (before the domain's block below, whose no-restricted-syntax replaces this one for src/domain).
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read the environment through src/config.ts (its schemas), not process.env.' },
      ],
    },
  },
  {
    // The domain is pure: no I/O, no clock, nothing from the adapters around it. src/shared (what the web
    // app imports from the server, e.g. the error codes) keeps the same rules, so the browser can load it.
    files: ['src/domain/**/*.ts', 'src/shared/**/*.ts'],
    // Tests beside the code may read fixtures; the rule guards what ships.
    ignores: ['src/domain/**/*.test.ts', 'src/shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'crypto'], message: 'src/domain does no I/O: no node modules.' },
          { group: ['**/store/**', '**/app/**', '**/server/**', '**/cli/**', '**/web/**'], message: 'src/domain imports nothing from the adapters around it.' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'No clock reads in the domain: time arrives on the event.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No clock reads in the domain: time arrives on the event.' },
        { selector: "MemberExpression[object.name='process']", message: 'No process access in the domain.' },
      ],
    },
  },
);
