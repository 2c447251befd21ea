import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers of src/, top to bottom (README "Architecture"). A file may import its own layer and the
 * layers below it, never one above; channels, handlers and jobs are side by side and do not import each
 * other. Type-only imports count too: a type pulled from above ties the layers as much as a value.
 */
const BASE = ['src/domain', 'src/text', 'src/config', 'src/messaging', 'src/nlu', 'src/reports', 'src/logger.ts', 'src/bounded-map.ts'];
const STORE = ['src/store'];
const ACTIONS = ['src/actions'];
const JOBS = ['src/jobs'];
const HANDLERS = ['src/handlers'];
const CHANNELS = ['src/bot', 'src/http', 'src/console'];
const APP = ['src/app'];
const ENTRY = ['src/main.ts', 'src/worker.ts', 'src/cli'];

const zone = (name, target, from) => ({ target, from, message: `${name} must not import this layer (layers only point down: see README "Architecture").` });

const LAYER_ZONES = [
  zone('domain/text/config/messaging', BASE, [...STORE, ...ACTIONS, ...JOBS, ...HANDLERS, ...CHANNELS, ...APP, ...ENTRY]),
  zone('store', STORE, [...ACTIONS, ...JOBS, ...HANDLERS, ...CHANNELS, ...APP, ...ENTRY]),
  zone('actions', ACTIONS, [...JOBS, ...HANDLERS, ...CHANNELS, ...APP, ...ENTRY]),
  zone('jobs', JOBS, [...HANDLERS, ...CHANNELS, ...APP, ...ENTRY]),
  zone('handlers', HANDLERS, [...JOBS, ...CHANNELS, ...APP, ...ENTRY]),
  zone('channels', CHANNELS, [...JOBS, ...HANDLERS, ...APP, ...ENTRY]),
  zone('app', APP, ENTRY),
];

export default tseslint.config(
  { ignores: ['dist/', '.test-dist/', 'data/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      // Runtime import circles (import-x skips type-only imports here; the layer zones cover those).
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
    },
  },
);
