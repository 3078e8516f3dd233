#!/usr/bin/env node
// `npm start`: build, then run the desktop app where Electron can start; otherwise run web mode and open it
// in the browser, saying why. Extra arguments go to `bellwether serve` (e.g. `npm start -- --db my.bellwether`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const passthrough = process.argv.slice(2);

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

console.log('Building the app (electron-vite build)…');
const build = run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
if (build.status !== 0) {
  console.error('The build failed; see above.');
  process.exit(build.status ?? 1);
}

/** Returns the Electron binary path, or the reason it cannot start here. */
const electronBinary = () => {
  if (process.env.BELLWETHER_WEB === '1') return { why: 'BELLWETHER_WEB=1 asks for web mode' };
  const pkg = join(root, 'node_modules/electron');
  if (!existsSync(pkg)) return { why: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  let bin = existsSync(pathFile) ? join(pkg, 'dist', readFileSync(pathFile, 'utf8')) : null;
  if (!bin || !existsSync(bin)) {
    console.log('Fetching the Electron binary (one time)…');
    const r = run(process.execPath, [join(pkg, 'install.js')], {
      timeout: 120_000,
      stdio: 'pipe',
      encoding: 'utf8',
    });
    const firstError = `${r.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l));
    if (firstError) console.log(`  ${firstError.trim()}`);
    bin = existsSync(pathFile) ? join(pkg, 'dist', readFileSync(pathFile, 'utf8')) : null;
    if (r.status !== 0 || !bin || !existsSync(bin)) {
      return { why: 'the Electron binary could not be downloaded (no network to its download host?)' };
    }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { why: 'there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  return { bin };
};

const e = electronBinary();
if (e.bin) {
  console.log('Starting the desktop app…');
  const child = spawn(e.bin, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`The desktop app cannot start here: ${e.why}.`);
  console.log('Starting web mode instead (the same app, served on 127.0.0.1 only).');
  const child = spawn(
    process.execPath,
    [join(root, 'bin/bellwether.mjs'), 'serve', '--print-json', ...passthrough],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let buf = '';
  child.stdout.on('data', (chunk) => {
    buf += chunk;
    const nl = buf.indexOf('\n');
    if (nl < 0) return;
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    try {
      const { url, db } = JSON.parse(line);
      console.log(`Portfolio: ${db}`);
      console.log(`Open this address (it carries this launch's access token): ${url}`);
      const opener =
        process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      const o = spawn(opener, [url], { stdio: 'ignore', detached: true });
      o.on('error', () =>
        console.log(`(Could not open a browser automatically with ${opener}; open the address yourself.)`),
      );
      o.unref();
      console.log('Press Ctrl+C to stop.');
    } catch {
      process.stdout.write(`${line}\n`);
    }
  });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
