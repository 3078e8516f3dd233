/**
 * Builds the renderer (so the tests never run against a stale build; E2E_SKIP_BUILD=1 skips it) and starts
 * `bellwether serve --demo` on a new portfolio file in a temporary folder. The address and token reach the
 * tests through environment variables; the returned function stops the server and removes the folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServer } from './server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.E2E_SKIP_BUILD !== '1') {
    const b = spawnSync(
      process.execPath,
      [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    );
    if (b.status !== 0) throw new Error('electron-vite build failed; see above');
  }
  const dir = mkdtempSync(join(tmpdir(), 'bellwether-e2e-'));
  const server = await startServer(['--db', join(dir, 'e2e.db'), '--port', '0', '--demo']);
  process.env.BELLWETHER_E2E_URL = server.url;
  process.env.BELLWETHER_E2E_ORIGIN = new URL(server.url).origin;
  process.env.BELLWETHER_E2E_TOKEN = server.token;
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
