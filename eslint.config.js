/**
 * Lint: typescript-eslint's recommended rules (no type information, so it stays fast), the
 * React hooks rules for the renderer, and the layer rules of ARCHITECTURE.md as import
 * restrictions per folder — the rules hold the layers, test/unit/layers.test.ts only proves
 * that each one bites.
 *
 * Layers: the renderer never imports db/, main/, server/, preload/, Node built-ins or a
 * `*.node` module (types from db/schema are fine: they vanish at build time); a core module
 * without the `.node.ts` suffix never imports Node built-ins; db/ imports nothing of main/,
 * renderer/, server/; only main/electron/ (and preload, which exists for it) imports
 * `electron`; server/ never imports main/electron, preload or renderer; preload imports only
 * electron (and types).
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Exact names for packages and built-ins (a pattern without a slash would match any path
// segment: `events` would catch '../contract/events'); anchored regexes for the repository's folders.
const NODE_ONLY = 'Встроенные модули Node здесь недоступны: такой код живёт в модуле с суффиксом .node.ts.';
const nodeBuiltinPaths = builtinModules.map((name) => ({ name, message: NODE_ONLY }));
const nodeScheme = { regex: '^node:', message: NODE_ONLY };
const nodeOnlyModules = { regex: '\\.node(\\.[cm]?[jt]s)?$', message: 'Модуль *.node работает только в Node: в интерфейс его не импортируют.' };
const electron = { name: 'electron', message: 'electron импортирует только main/electron/ (и preload).' };
/** A relative import that climbs to the repository's top-level folder `name`. */
const folder = (name, message) => ({ regex: `^(\\.\\./)+${name}(/|$)`, message });

const coreShells = [
  folder('main', 'core/ не зависит от оболочек (main/).'),
  folder('renderer', 'core/ не импортирует интерфейс.'),
  folder('preload', 'core/ не импортирует preload/.'),
];

/** One no-restricted-imports per file set: a later config object replaces a rule's options, never merges them. */
const restrict = (files, { paths = [], patterns = [] }, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.data/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // Unused names are already an error of the typecheck (noUnusedLocals); `_`-prefixed ones are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // TypeScript itself reports undefined names, with the real types and globals.
      'no-undef': 'off',
      // `cond && run()` / `a ? f() : g()` as statements are a style the code uses on purpose.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // `interface Options extends Limits {}` names a type for later growth; only bare `{}` is refused.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // electron-builder loads its hooks with require(): these few files stay CommonJS.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Playwright fixtures that use no other fixture must still destructure: `async ({}, use) => …`.
    files: ['test/e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },

  restrict(['renderer/**'], {
    paths: [...nodeBuiltinPaths, electron],
    patterns: [
      { ...folder('db', 'Интерфейс не обращается к базе напрямую: только через вызовы контракта (типы из db/schema можно).'), allowTypeImports: true },
      folder('main', 'Интерфейс не импортирует main/: он говорит с ядром через bridge.'),
      folder('server', 'Интерфейс не импортирует server/.'),
      folder('preload', 'Интерфейс не импортирует preload/: он получает window.api.'),
      nodeScheme,
      nodeOnlyModules,
    ],
  }),
  {
    // no-restricted-imports does not look at import(): the renderer's dynamic imports get the same folders.
    files: ['renderer/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/^((\\.\\.\\/)+(db|main|server|preload)(\\/|$)|node:|electron$)|\\.node(\\.[cm]?[jt]s)?$/]',
          message: 'Интерфейс не загружает db/, main/, server/, preload/, модули Node и *.node даже через import().',
        },
      ],
    },
  },
  restrict(['core/**'], { paths: [...nodeBuiltinPaths, electron], patterns: [nodeScheme, ...coreShells] }, ['core/**/*.node.ts']),
  restrict(['core/**/*.node.ts'], { paths: [electron], patterns: coreShells }),
  restrict(['db/**'], {
    paths: [electron],
    patterns: [
      folder('main', 'db/ не импортирует main/.'),
      folder('renderer', 'db/ не импортирует интерфейс.'),
      folder('server', 'db/ не импортирует server/.'),
      folder('preload', 'db/ не импортирует preload/.'),
    ],
  }),
  restrict(['main/**'], { paths: [electron] }, ['main/electron/**']),
  restrict(['server/**'], {
    paths: [electron],
    patterns: [
      folder('main/electron', 'Сервер не импортирует оболочку Electron.'),
      folder('preload', 'Сервер не импортирует preload/.'),
      folder('renderer', 'Сервер не импортирует интерфейс.'),
    ],
  }),
  restrict(['preload/**'], { patterns: [{ regex: '^(?!electron$)', allowTypeImports: true, message: 'preload импортирует только electron (и типы).' }] }),
  restrict(['test/**', 'build/**', '*.{js,ts,mjs}'], { paths: [electron] }),
);
