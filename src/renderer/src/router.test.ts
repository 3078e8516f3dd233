import { describe, expect, it } from 'vitest';
import { matchPath } from './router';

describe('matchPath', () => {
  it('matches static paths and ignores a trailing slash', () => {
    expect(matchPath('/accounts', '/accounts')).toEqual({});
    expect(matchPath('/accounts', '/accounts/')).toEqual({});
    expect(matchPath('/accounts', '/team')).toBeNull();
  });

  it('captures named segments, decoded', () => {
    expect(matchPath('/accounts/:id', '/accounts/42')).toEqual({ id: '42' });
    expect(matchPath('/x/:name', '/x/a%20b')).toEqual({ name: 'a b' });
  });

  it('needs the same number of segments and ignores a query part', () => {
    expect(matchPath('/accounts/:id', '/accounts')).toBeNull();
    expect(matchPath('/accounts/:id', '/accounts/1/extra')).toBeNull();
    expect(matchPath('/accounts/:id', '/accounts/7?tab=tickets')).toEqual({ id: '7' });
  });
});
