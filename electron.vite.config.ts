/**
 * electron-vite build for the three parts of the app:
 * - main: the Electron bootstrap + core (ESM, dependencies stay external and load from node_modules), and the
 *   model worker thread as its own entry (out/main/model-worker.js, found by src/main/core/ml/worker-client.ts)
 *   and the sentiment worker (out/main/sentiment-worker.js, found by src/main/core/text/sentiment.ts);
 * - preload: the bridge, built as CommonJS (`index.cjs`) because sandboxed preloads cannot be ES modules;
 * - renderer: the React UI (src/renderer), also served as-is by web mode from out/renderer.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          'model-worker': resolve(root, 'src/main/core/ml/train-worker.ts'),
          // The sentiment worker (plain JS) is bundled next to index.js as sentiment-worker.js.
          'sentiment-worker': resolve(root, 'src/main/core/text/sentiment-worker.mjs'),
        },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads must be one self-contained CommonJS file.
      externalizeDeps: false,
      isolatedEntries: true,
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // Web mode serves these files over HTTP: keep them small (first paint of Accounts depends on it).
      minify: true,
      rolldownOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
