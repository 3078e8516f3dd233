// Runs the model worker from the TypeScript sources (tsx, vitest, the CLI and web mode): registers tsx's
// loader in this thread, then loads train-worker.ts. The built app starts the bundled out/main/model-worker.js
// instead (see worker-client.ts and electron.vite.config.ts).
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
