/** Long-running tasks reported by the core through `progress` events; drives the global progress bar. */
import { create } from 'zustand';
import type { ProgressEvent } from '../../../shared/contract';

interface ProgressState {
  tasks: Record<string, ProgressEvent>;
  update(e: ProgressEvent): void;
  clear(task: string): void;
}

export const useProgress = create<ProgressState>((set) => ({
  tasks: {},
  update: (e) =>
    set((s) => {
      const tasks = { ...s.tasks };
      if (e.finished || (e.total > 0 && e.done >= e.total)) delete tasks[e.task];
      else tasks[e.task] = e;
      return { tasks };
    }),
  clear: (task) =>
    set((s) => {
      const tasks = { ...s.tasks };
      delete tasks[task];
      return { tasks };
    }),
}));
