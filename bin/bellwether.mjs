#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx bellwether …` works straight after `npm install`.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runCli, stdio } = await import(pathToFileURL(join(root, 'src/cli/main.ts')).href);
process.exitCode = await runCli(process.argv.slice(2), stdio);
