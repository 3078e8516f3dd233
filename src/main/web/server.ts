/**
 * Web mode: the same renderer served by a small loopback server that hosts the core.
 *
 * - Binds to 127.0.0.1 only.
 * - Every API call needs the per-launch random token (`Authorization: Bearer <token>`); the event stream
 *   takes it as `?token=` because EventSource cannot set headers.
 * - `POST /api/call/<handler>` with the JSON arguments as body; the answer is always a JSON Result.
 * - `GET /api/events` is a server-sent-events stream of the core's events.
 * - Everything else is the built renderer (out/renderer), with the same strict CSP as the desktop app.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fail } from '../../shared/result';
import type { Core } from '../core/core';
import { CONTENT_SECURITY_POLICY } from '../security-policy';

export interface WebServerOptions {
  core: Core;
  /** Folder holding the built renderer (index.html). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); default: 32 random bytes, new on every launch. */
  token?: string;
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(text);
};

const tokenMatches = (given: string | null | undefined, token: string): boolean => {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

const readBody = (req: IncomingMessage, max: number): Promise<string> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`request body is larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export const startWebServer = async (opts: WebServerOptions): Promise<RunningServer> => {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const maxBody = opts.maxBodyBytes ?? 20 * 1024 * 1024;
  const root = resolve(opts.rendererDir);
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = opts.core.bus.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of sseClients) c.write(frame);
  });

  const serveStatic = (pathname: string, res: ServerResponse): void => {
    let rel = decodeURIComponent(pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) {
      sendJson(res, 403, fail('unauthorized', 'path outside the app'));
      return;
    }
    const target = existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
    if (!existsSync(target)) {
      res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The renderer is not built (no ${target}). Run: npm run build`);
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': MIME[extname(target)] ?? 'application/octet-stream',
    });
    createReadStream(target).pipe(res);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // Refuse requests addressed to any other host name (DNS rebinding).
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (host !== '127.0.0.1' && host !== 'localhost') {
        sendJson(res, 403, fail('unauthorized', `host "${host}" is not allowed`));
        return;
      }
      if (url.pathname === '/api/events') {
        if (!tokenMatches(url.searchParams.get('token'), token)) {
          sendJson(res, 401, fail('unauthorized', 'missing or wrong token'));
          return;
        }
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/event-stream; charset=utf-8',
          Connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        const auth = req.headers.authorization ?? '';
        const given = auth.startsWith('Bearer ') ? auth.slice(7) : null;
        if (!tokenMatches(given, token)) {
          sendJson(res, 401, fail('unauthorized', 'missing or wrong token'));
          return;
        }
        const m = /^\/api\/call\/([A-Za-z0-9_.-]+)$/.exec(url.pathname);
        if (!m || req.method !== 'POST') {
          sendJson(res, 404, fail('unknown_handler', `no API at ${req.method} ${url.pathname}`));
          return;
        }
        let args: unknown = {};
        const body = await readBody(req, maxBody);
        if (body.trim() !== '') {
          try {
            args = JSON.parse(body);
          } catch {
            sendJson(res, 200, fail('invalid_arguments', 'the request body is not valid JSON'));
            return;
          }
        }
        sendJson(res, 200, await opts.core.dispatch(m[1]!, args));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, fail('unknown_handler', `${req.method} not allowed`));
        return;
      }
      serveStatic(url.pathname, res);
    } catch (e) {
      if (!res.headersSent) sendJson(res, 500, fail('internal', (e as Error).message));
      else res.end();
    }
  });

  await new Promise<void>((ok, bad) => {
    server.once('error', bad);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const keepAlive = setInterval(() => {
    for (const c of sseClients) c.write(': ping\n\n');
  }, 20_000);
  keepAlive.unref();
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((done) => {
        clearInterval(keepAlive);
        unsubscribe();
        for (const c of sseClients) c.end();
        sseClients.clear();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
};
