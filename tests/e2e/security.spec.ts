/** Web mode refuses API calls without the per-launch token (requests made from Node, not the page). */
import { expect, test } from '@playwright/test';
import { serverOrigin, serverToken } from './pages/AppShell';

test.describe('web mode access token', () => {
  test('a call without the token is refused with 401 and a Result error', async () => {
    const res = await fetch(`${serverOrigin()}/api/call/portfolio.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { ok: boolean; error?: { code: string } };
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('unauthorized');
  });

  test('a wrong token is refused too, on calls and on the event stream', async () => {
    const call = await fetch(`${serverOrigin()}/api/call/portfolio.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer not-the-token' },
      body: '{}',
    });
    expect(call.status).toBe(401);
    const events = await fetch(`${serverOrigin()}/api/events?token=not-the-token`);
    expect(events.status).toBe(401);
    await events.body?.cancel();
  });

  test('the right token is accepted', async () => {
    const res = await fetch(`${serverOrigin()}/api/call/portfolio.info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${serverToken()}` },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value?: { kind: string } };
    expect(body).toMatchObject({ ok: true, value: { kind: 'demo' } });
  });
});
