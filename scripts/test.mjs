#!/usr/bin/env node
// `npm test`: everything CI runs, in order: typecheck, lint, unit + integration tests, build, browser tests.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const steps = [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['unit and integration tests', 'npx', ['vitest', 'run']],
  ['build', 'npm', ['run', '-s', 'build']],
  ['built app carries its workers', 'node', [join(root, 'scripts/check-build.mjs')]],
  ['browser tests (Playwright, Chromium)', 'node', [join(root, 'scripts/e2e.mjs')]],
];
const results = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  results.push([name, r.status === 0, Math.round((Date.now() - t0) / 1000)]);
  if (r.status !== 0) break;
}
console.log('\n=== summary ===');
for (const [name, ok, s] of results) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${s} s)`);
const failed = results.filter((r) => !r[1]).length + (steps.length - results.length);
process.exit(failed === 0 ? 0 : 1);
