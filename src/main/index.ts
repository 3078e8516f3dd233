/**
 * The Electron bootstrap: thin on purpose. It opens the core, wires the preload bridge to the core's
 * dispatcher and event bus, and locks the window down. All product logic lives in src/main/core, which
 * never imports electron.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Notification, safeStorage, session, shell } from 'electron';
import { startBackgroundJobs } from './core/background';
import { safeStorageVault } from './core/connectors/credentials';
import { setCredentialVault } from './core/connectors/handlers';
import { Core } from './core/core';
import { CONTENT_SECURITY_POLICY } from './security-policy';

const here = fileURLToPath(new URL('.', import.meta.url));
const INVOKE = 'bellwether:invoke';
const EVENT = 'bellwether:event';

const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const isAppUrl = (url: string): boolean =>
  rendererUrl ? url.startsWith(rendererUrl) : url.startsWith('file://') && url.includes('/renderer/');

const createWindow = (): BrowserWindow => {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    title: 'Bellwether',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // Navigation and new windows are guarded: the app never leaves its own pages.
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (rendererUrl) void win.loadURL(rendererUrl);
  else void win.loadFile(join(here, '../renderer/index.html'));
  return win;
};

const main = async (): Promise<void> => {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  // The shipped sentiment model lives in resources/ at the app's root (a packager must ship that folder
  // unpacked, outside any asar archive, since ONNX Runtime reads the model file from disk).
  process.env.BELLWETHER_RESOURCES ??= join(app.getAppPath(), 'resources');
  const dbPath = process.env.BELLWETHER_DB ?? join(app.getPath('userData'), 'portfolio.bellwether');
  const core = await Core.open({ dbPath, demoIfNew: true, autoScoreSentiment: true });
  // Connector credentials are sealed with the operating system's keychain.
  setCredentialVault(core, safeStorageVault(safeStorage));
  const stopAutomations = startBackgroundJobs(core, { onError: (what, e) => console.error(`${what}:`, e) });

  ipcMain.handle(INVOKE, async (event, name: unknown, args: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isAppUrl(frameUrl))
      return { ok: false, error: { code: 'unauthorized', message: 'caller is not the app' } };
    if (typeof name !== 'string')
      return { ok: false, error: { code: 'unknown_handler', message: 'handler name must be a string' } };
    return core.dispatch(name, args);
  });

  const win = createWindow();
  core.bus.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT, name, payload);
    if (name === 'notification' && Notification.isSupported()) {
      const p = payload as { title?: string; body?: string };
      new Notification({ title: p.title ?? 'Bellwether', body: p.body ?? '' }).show();
    }
  });

  app.on('window-all-closed', () => {
    stopAutomations();
    core.close();
    app.quit();
  });
};

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

void main();
