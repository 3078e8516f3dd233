/**
 * The preload bridge: a small named API, never raw ipcRenderer. Runs sandboxed with context isolation.
 * `window.bellwether.invoke(name, args)` resolves to a Result; `subscribe` receives core events.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';

type Listener = (event: string, payload: unknown) => void;

contextBridge.exposeInMainWorld('bellwether', {
  invoke: (name: string, args: unknown): Promise<unknown> =>
    ipcRenderer.invoke('bellwether:invoke', name, args),
  subscribe: (listener: Listener): (() => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on('bellwether:event', handler);
    return () => {
      ipcRenderer.removeListener('bellwether:event', handler);
    };
  },
});
