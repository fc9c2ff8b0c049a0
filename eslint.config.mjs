// ESLint (flat config). `.mjs` because package.json has no "type": the config is an ES module.
// Type-aware typescript-eslint over tsconfig.node.json and tsconfig.web.json, React's hook rules in
// the renderer, the folder boundaries of docs/architecture.md, and the security rules of the project.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { importBoundaries } from './scripts/lib/import-boundaries.mjs';

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];
// Tools load these by their default export (Playwright's global setup too); nothing else has one.
const CONFIG_FILES = ['*.config.ts', '*.config.mts', '*.config.mjs', '*.config.js', 'test/e2e/global-setup.ts'];
// The only code that may import 'electron': the Electron glue, the desktop entry and the preload.
const ELECTRON_FILES = ['src/main/electron/**', 'src/main/index.ts', 'src/preload/**'];

const noDefaultExport = {
  selector: 'ExportDefaultDeclaration',
  message: 'Use a named export: a name says what a thing is, and it is the same at every import.',
};

const restrictedSyntax = [
  // Text from the database is data, never markup.
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML'], Property[key.name='dangerouslySetInnerHTML']",
    message: 'Never render text as HTML: let React escape it.',
  },
  {
    selector: "CallExpression[callee.property.name='insertAdjacentHTML']",
    message: 'Never render text as HTML: set textContent or build elements.',
  },
  // Child processes get an argument array and no shell (quoting is where injections live).
  {
    selector: "Property[key.name='shell'][value.value=true]",
    message: 'Never run a child process through a shell: pass the program and an argument array.',
  },
  // No window weakens its isolation (src/main/electron/window.ts sets the safe values).
  ...['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent'].map((name) => ({
    selector: `Property[key.name='${name}'][value.value=true]`,
    message: `${name}: true gives web content Node's powers. Keep it off.`,
  })),
  ...['sandbox', 'contextIsolation', 'webSecurity'].map((name) => ({
    selector: `Property[key.name='${name}'][value.value=false]`,
    message: `${name}: false weakens the window's isolation. Keep it on.`,
  })),
  // A focused test silently skips the rest of the suite (Playwright also has forbidOnly).
  {
    selector: "MemberExpression[property.name='only'][object.name=/^(describe|suite|it|test|bench)$/]",
    message: 'Remove .only before committing: it silently skips every other test.',
  },
  {
    selector: "MemberExpression[property.name='only'][object.property.name=/^(describe|step)$/]",
    message: 'Remove .only before committing: it silently skips every other test.',
  },
];

const restrictedProperties = [
  { property: 'innerHTML', message: 'Never render text as HTML: set textContent or build elements.' },
  { property: 'outerHTML', message: 'Never render text as HTML: set textContent or build elements.' },
  { object: 'shell', property: 'openExternal', message: 'Links leave the app through safeOpenExternal (src/main/electron), which checks them.' },
];

const childProcessShells = ['child_process', 'node:child_process'].map((name) => ({
  name,
  importNames: ['exec', 'execSync'],
  message: 'exec and execSync run a shell: use spawn or execFile with an argument array.',
}));
const electronImport = {
  name: 'electron',
  message: "Only src/main/electron/, src/main/index.ts and src/preload/ import 'electron'; features stay transport-free.",
};

export default tseslint.config(
  {
    ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.data/**'],
  },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { local: { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      'no-restricted-syntax': ['error', noDefaultExport, ...restrictedSyntax],
      'no-restricted-properties': ['error', ...restrictedProperties],
      'no-restricted-imports': ['error', { paths: [...childProcessShells, electronImport] }],
      'local/import-boundaries': 'error',
    },
  },
  {
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Scripts and config files outside both tsconfigs: plain JavaScript on Node.
    files: JS_FILES,
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // Type declarations for the .mjs scripts: in no tsconfig, so checked without type information.
    files: ['scripts/**/*.d.mts'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { parserOptions: { projectService: false } },
  },
  {
    files: CONFIG_FILES,
    rules: { 'no-restricted-syntax': ['error', ...restrictedSyntax] },
  },
  {
    files: ELECTRON_FILES,
    rules: { 'no-restricted-imports': ['error', { paths: childProcessShells }] },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Asymmetric matchers (expect.stringContaining, expect.any) are typed `any` by vitest and
      // Playwright; every toMatchObject with one would need a cast that says nothing.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Stubs implement async interfaces without awaiting anything; that is what they are for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // safeOpenExternal, in the Electron glue, is the one caller of shell.openExternal.
    files: ['src/main/electron/**'],
    rules: { 'no-restricted-properties': ['error', ...restrictedProperties.filter((rule) => rule.property !== 'openExternal')] },
  },
);
