import { describe, expect, it } from 'vitest';
import { Core } from '../src/main/core/core';
import { contract } from '../src/shared/contract';

describe('the typed contract at the boundary', () => {
  it('registers a handler for every contract entry, and refuses duplicates', async () => {
    const core = await Core.open({ dbPath: null });
    expect(core.registry.missing()).toEqual([]);
    expect(() => core.registry.register({ 'portfolio.info': () => core.info() })).toThrow(
      /already registered/,
    );
    expect(Object.keys(contract).length).toBeGreaterThan(5);
    core.close();
  });

  it('answers an unknown handler with an explicit error result', async () => {
    const core = await Core.open({ dbPath: null });
    const r = await core.dispatch('accounts.delete_everything', {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'unknown_handler', message: 'unknown handler "accounts.delete_everything"' },
    });
    core.close();
  });

  it('validates arguments and names the offending field', async () => {
    const core = await Core.open({ dbPath: null });
    const bad = await core.dispatch('accounts.get', { id: 'seven' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_arguments');
      expect(bad.error.where).toBe('id');
      expect(bad.error.message).toMatch(/^accounts\.get: id: /);
    }
    const extra = await core.dispatch('accounts.list', { sort: 'name', drop: 'table' });
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.error.message).toMatch(/drop/);
    const badEnum = await core.dispatch('accounts.list', { segment: 'galactic' });
    expect(!badEnum.ok && badEnum.error.where).toBe('segment');
    core.close();
  });

  it('turns a handler failure into a result, never an exception', async () => {
    const core = await Core.open({ dbPath: null });
    const r = await core.dispatch('accounts.get', { id: 12345 });
    expect(r).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'account 12345 does not exist', where: 'id' },
    });
    core.close();
  });
});
