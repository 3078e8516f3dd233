/**
 * A loopback Slack incoming-webhook server for tests: accepts POST <path> with a JSON body {text, blocks?},
 * answers 200 "ok" (like Slack), records every raw request it received, and can be told to answer 500, to
 * hang, or to go down (port closed: connection refused) and come back on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackRequest {
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  json: { text?: string; blocks?: unknown[] } | null;
  at: number;
  /** The HTTP status the fake answered (undefined while hanging). */
  answered?: number;
}

export type SlackMode = 'ok' | 'error500' | 'hang';

export class FakeSlack {
  readonly requests: SlackRequest[] = [];
  mode: SlackMode = 'ok';
  /** Called for every request after it is recorded, before the answer (tests use it to kill a client). */
  onRequest: ((r: SlackRequest) => void) | null = null;
  private server: Server | null = null;
  private port = 0;
  private readonly sockets = new Set<import('node:net').Socket>();

  static async start(port = 0): Promise<FakeSlack> {
    const f = new FakeSlack();
    await f.listen(port);
    return f;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/services/T000/B000/XXXX`;
  }

  /** Messages accepted (answered "ok"). */
  get delivered(): SlackRequest[] {
    return this.requests.filter((r) => r.answered === 200);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((req, res) => this.handle(req, res));
      server.on('connection', (s) => {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: SlackRequest['json'] = null;
      try {
        json = JSON.parse(raw) as SlackRequest['json'];
      } catch {
        json = null;
      }
      const r: SlackRequest = { path: req.url ?? '', headers: req.headers, raw, json, at: Date.now() };
      this.requests.push(r);
      this.onRequest?.(r);
      if (req.method !== 'POST' || !json || typeof json.text !== 'string') {
        r.answered = 400;
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        return;
      }
      if (this.mode === 'hang') return;
      if (this.mode === 'error500') {
        r.answered = 500;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal_error');
        return;
      }
      r.answered = 200;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  }

  /** Closes the port (clients get connection refused). */
  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  stop(): Promise<void> {
    return this.down();
  }
}
