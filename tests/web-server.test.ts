import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../src/main/core/core';
import { type RunningServer, startWebServer } from '../src/main/web/server';

let core: Core;
let srv: RunningServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Bellwether</title>');
  core = await Core.open({ dbPath: null });
  srv = await startWebServer({ core, rendererDir: dir });
});
afterAll(async () => {
  await srv.close();
  core.close();
});

const call = (name: string, body: unknown, token?: string) =>
  fetch(`http://127.0.0.1:${srv.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('web mode server', () => {
  it('listens on 127.0.0.1 only', () => {
    const addr = srv.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('refuses API calls without the token or with a wrong one', async () => {
    const none = await call('portfolio.info', {});
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await call('portfolio.info', {}, `${srv.token}x`);
    expect(wrong.status).toBe(401);
  });

  it('answers calls with the token as Results', async () => {
    const r = await call('portfolio.info', {}, srv.token);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, value: { kind: 'user', accounts: 0 } });
    const bad = await call('accounts.get', { id: -1 }, srv.token);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_arguments', where: 'id' } });
    const unknown = await call('no.such.thing', {}, srv.token);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown_handler' } });
  });

  it('refuses other host names (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: srv.port, path: '/', headers: { Host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('serves the app with a strict CSP and pushes events to the page', async () => {
    const page = await fetch(`http://127.0.0.1:${srv.port}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(await page.text()).toContain('<title>Bellwether</title>');
    expect((await fetch(`http://127.0.0.1:${srv.port}/api/events`)).status).toBe(401);

    const ctrl = new AbortController();
    const res = await fetch(
      `http://127.0.0.1:${srv.port}/api/events?token=${encodeURIComponent(srv.token)}`,
      { signal: ctrl.signal },
    );
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    core.bus.emit('progress', { task: 'test', done: 1, total: 2 });
    let text = '';
    while (!text.includes('"task":"test"')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: progress');
    ctrl.abort();
  });
});
