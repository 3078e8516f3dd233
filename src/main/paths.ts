import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository / app root: the nearest folder above this file holding package.json. */
export const appRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Bellwether app root (no package.json above the code)');
    dir = up;
  }
  return dir;
};

export const rendererDir = (): string => join(appRoot(), 'out', 'renderer');

/**
 * The per-user data folder (Electron uses app.getPath('userData'), which resolves to the same places).
 * BELLWETHER_DATA_DIR overrides it.
 */
export const defaultDataDir = (): string => {
  if (process.env.BELLWETHER_DATA_DIR) return process.env.BELLWETHER_DATA_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Bellwether');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Bellwether');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'bellwether');
};

export const defaultPortfolioPath = (): string => join(defaultDataDir(), 'portfolio.bellwether');
