import { beforeEach, describe, expect, it } from 'vitest';
import { useProgress } from './progress';

describe('progress store', () => {
  beforeEach(() => useProgress.setState({ tasks: {} }));

  it('tracks running tasks and drops them when finished or complete', () => {
    const { update } = useProgress.getState();
    update({ task: 'import', done: 10, total: 100, label: 'Importing tickets' });
    update({ task: 'rescore', done: 0, total: 0 });
    expect(Object.keys(useProgress.getState().tasks).sort()).toEqual(['import', 'rescore']);
    update({ task: 'import', done: 100, total: 100 });
    update({ task: 'rescore', done: 0, total: 0, finished: true });
    expect(useProgress.getState().tasks).toEqual({});
  });
});
