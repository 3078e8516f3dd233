/**
 * electron-vite build for the three parts of the app:
 * - main: the Electron bootstrap + core (ESM, dependencies stay external and load from node_modules);
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
      rolldownOptions: { input: { index: resolve(root, 'src/main/index.ts') } },
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
