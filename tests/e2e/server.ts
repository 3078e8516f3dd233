/**
 * Starts the real web-mode server (`bellwether serve`) as a child process and reads the one JSON line it
 * prints once listening: `{ url, port, token, db }`. Used by the e2e global setup and by bench/first-paint.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServeInfo {
  url: string;
  port: number;
  token: string;
  db: string;
}

export interface StartedServer extends ServeInfo {
  child: ChildProcess;
  stop(): Promise<void>;
}

export const startServer = (args: string[], timeoutMs = 120_000): Promise<StartedServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'bin/bellwether.mjs'), 'serve', '--print-json', ...args],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bellwether serve did not start within ${timeoutMs} ms.\n${err}`));
    }, timeoutMs);
    const stop = (): Promise<void> =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        const info = JSON.parse(out.slice(0, nl)) as ServeInfo;
        resolve({ ...info, child, stop });
      } catch {
        child.kill('SIGKILL');
        reject(new Error(`bellwether serve printed something that is not JSON: ${out.slice(0, nl)}\n${err}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bellwether serve exited with code ${code} before it was ready.\n${err}`));
    });
  });
