/**
 * Delivery transports: Slack incoming webhooks (HTTP POST of JSON), email over SMTP (a small client over
 * node:net), and the desktop (an event on the core's bus; Electron shows it natively, web mode in the inbox).
 *
 * Every attempt ends in one of four outcomes, and the distinction is what keeps the outbox from ever sending
 * a notification twice:
 *   sent     the receiver accepted it (Slack answered 2xx; SMTP answered 250 to the end of DATA)
 *   retry    it certainly did not arrive (connection refused / unreachable / DNS; HTTP 429 or 5xx; SMTP 4xx
 *            or the connection dropped before the message was finished) — safe to send again later
 *   failed   it will never arrive as configured (HTTP 4xx, SMTP 5xx): not retried
 *   unknown  it may have arrived (the connection broke or timed out after the whole request or message had
 *            been handed over, before the answer came) — not resent automatically; shown for manual review
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';

export type Outcome =
  | { kind: 'sent'; detail?: string }
  /** `offline`: the network or the receiver could not be reached at all (no attempt cap while it lasts). */
  | { kind: 'retry'; error: string; offline?: boolean }
  | { kind: 'failed'; error: string }
  | { kind: 'unknown'; error: string };

const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENETDOWN',
]);

// ------------------------------------------------------------------------------------------------ Slack

export interface SlackMessage {
  text: string;
  blocks?: unknown[];
}

/** POSTs `message` as JSON to a Slack incoming-webhook URL (Slack answers 200 "ok"). */
export const postSlack = (
  url: string,
  message: SlackMessage,
  id: string,
  timeoutMs = 15_000,
): Promise<Outcome> =>
  new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      resolve({ kind: 'failed', error: `not a URL: ${url}` });
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      resolve({ kind: 'failed', error: `unsupported webhook scheme ${u.protocol}` });
      return;
    }
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: 'POST',
      // A fresh connection per message: a reused keep-alive socket the server already closed would turn a
      // certain non-delivery into an uncertain one.
      agent: false,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(body.length),
        'x-bellwether-id': id,
      },
    });
    // Handed over = connected and the whole request written; before that the receiver cannot have acted on it.
    let connected = false;
    let written = false;
    const handedOverNow = (): boolean => connected && written;
    req.on('socket', (sock) => {
      if (!sock.connecting) connected = true;
      else
        sock.once('connect', () => {
          connected = true;
        });
    });
    let settled = false;
    const done = (o: Outcome): void => {
      if (settled) return;
      settled = true;
      resolve(o);
    };
    req.setTimeout(timeoutMs, () => {
      done(
        handedOverNow()
          ? { kind: 'unknown', error: `no answer within ${timeoutMs} ms after the message was sent` }
          : { kind: 'retry', error: `could not connect within ${timeoutMs} ms` },
      );
      req.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (!handedOverNow() || NOT_CONNECTED.has(code)) {
        done({
          kind: 'retry',
          error: `${code || 'error'}: ${err.message}`,
          offline: !connected || NOT_CONNECTED.has(code),
        });
      } else done({ kind: 'unknown', error: `connection lost after sending (${code || err.message})` });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => done({ kind: 'unknown', error: 'answer cut short' }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8').slice(0, 200);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) done({ kind: 'sent', detail: text });
        else if (status === 429 || status >= 500) done({ kind: 'retry', error: `HTTP ${status}: ${text}` });
        else done({ kind: 'failed', error: `HTTP ${status}: ${text}` });
      });
    });
    req.end(body, () => {
      written = true;
    });
  });

// ------------------------------------------------------------------------------------------------ SMTP

export interface SmtpConfig {
  host: string;
  port: number;
  from: string;
  /** Name sent with EHLO (default: this machine's host name). */
  helo?: string;
  timeoutMs?: number;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** Becomes the Message-ID and X-Bellwether-Id headers. */
  id: string;
  date: Date;
}

const encodeHeader = (s: string): string =>
  /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;

const addrOnly = (s: string): string => {
  const m = /<([^>]+)>/.exec(s);
  return (m ? m[1]! : s).trim();
};

/** The RFC 5322 message, CRLF line endings, with leading dots doubled (SMTP dot-stuffing). */
export const formatEmail = (cfg: SmtpConfig, msg: EmailMessage): string => {
  const safeId = msg.id.replace(/[^A-Za-z0-9._:-]/g, '_');
  const headers = [
    `From: ${cfg.from.includes('<') ? cfg.from : `Bellwether <${cfg.from}>`}`,
    `To: <${addrOnly(msg.to)}>`,
    `Subject: ${encodeHeader(msg.subject)}`,
    `Date: ${msg.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${safeId}@bellwether.local>`,
    `X-Bellwether-Id: ${safeId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const body = msg.text
    .replace(/\r\n|\r|\n/g, '\n')
    .split('\n')
    .map((l) => (l.startsWith('.') ? `.${l}` : l));
  return `${[...headers, '', ...body].join('\r\n')}\r\n`;
};

class ReplyReader {
  private buf = '';
  private lines: string[] = [];
  private waiter: ((r: { code: number; text: string } | Error) => void) | null = null;
  private failure: Error | null = null;

  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      this.pump();
    });
    const fail = (e: Error): void => {
      this.failure = e;
      const w = this.waiter;
      this.waiter = null;
      w?.(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  private pump(): void {
    let i = this.buf.indexOf('\n');
    while (i >= 0) {
      this.lines.push(this.buf.slice(0, i).replace(/\r$/, ''));
      this.buf = this.buf.slice(i + 1);
      i = this.buf.indexOf('\n');
    }
    const end = this.lines.findIndex((l) => /^\d{3}(?: |$)/.test(l));
    if (end >= 0 && this.waiter) {
      const reply = this.lines.splice(0, end + 1);
      const w = this.waiter;
      this.waiter = null;
      w({ code: Number(reply[end]!.slice(0, 3)), text: reply.map((l) => l.slice(4)).join('\n') });
    }
  }

  next(): Promise<{ code: number; text: string }> {
    return new Promise((resolve, reject) => {
      if (this.failure && this.lines.length === 0) {
        reject(this.failure);
        return;
      }
      this.waiter = (r) => (r instanceof Error ? reject(r) : resolve(r));
      this.pump();
    });
  }
}

/** Sends one plain-text email: EHLO (HELO fallback), MAIL FROM, RCPT TO, DATA, QUIT. No TLS or AUTH. */
export const sendSmtp = (cfg: SmtpConfig, msg: EmailMessage): Promise<Outcome> =>
  new Promise((resolve) => {
    const timeoutMs = cfg.timeoutMs ?? 20_000;
    const socket = connect({ host: cfg.host, port: cfg.port });
    let stage: 'connect' | 'dialog' | 'after-data' | 'done' = 'connect';
    let settled = false;
    const done = (o: Outcome, graceful = false): void => {
      if (settled) return;
      settled = true;
      resolve(o);
      if (graceful) {
        socket.end();
        socket.setTimeout(2000, () => socket.destroy());
      } else socket.destroy();
    };
    socket.setTimeout(timeoutMs, () =>
      done(
        stage === 'after-data'
          ? { kind: 'unknown', error: `no answer within ${timeoutMs} ms after the message was sent` }
          : { kind: 'retry', error: `SMTP timeout (${stage})` },
      ),
    );
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (stage === 'connect' || NOT_CONNECTED.has(err.code ?? '')) {
        done({ kind: 'retry', error: `${err.code ?? 'error'}: ${err.message}`, offline: true });
      }
    });
    const reader = new ReplyReader(socket);
    const write = (line: string): void => {
      socket.write(`${line}\r\n`);
    };
    const expect = async (ok: (code: number) => boolean, what: string): Promise<void> => {
      const r = await reader.next();
      if (!ok(r.code)) {
        throw Object.assign(new Error(`${what}: ${r.code} ${r.text}`), { smtpCode: r.code });
      }
    };
    socket.on('connect', async () => {
      stage = 'dialog';
      try {
        await expect((c) => c === 220, 'greeting');
        const helo = cfg.helo ?? (hostname() || 'localhost');
        write(`EHLO ${helo}`);
        const ehlo = await reader.next();
        if (ehlo.code !== 250) {
          write(`HELO ${helo}`);
          await expect((c) => c === 250, 'HELO');
        }
        const eight = ehlo.code === 250 && /^8BITMIME$/im.test(ehlo.text);
        write(`MAIL FROM:<${addrOnly(cfg.from)}>${eight ? ' BODY=8BITMIME' : ''}`);
        await expect((c) => c === 250, 'MAIL FROM');
        write(`RCPT TO:<${addrOnly(msg.to)}>`);
        await expect((c) => c === 250 || c === 251, 'RCPT TO');
        write('DATA');
        await expect((c) => c === 354, 'DATA');
        socket.write(`${formatEmail(cfg, msg)}.\r\n`);
        stage = 'after-data';
        let final: { code: number; text: string };
        try {
          final = await reader.next();
        } catch (e) {
          done({
            kind: 'unknown',
            error: `connection lost after the message was sent (${(e as Error).message})`,
          });
          return;
        }
        if (final.code !== 250) {
          done(
            final.code >= 500
              ? { kind: 'failed', error: `message refused: ${final.code} ${final.text}` }
              : { kind: 'retry', error: `message deferred: ${final.code} ${final.text}` },
          );
          return;
        }
        stage = 'done';
        write('QUIT');
        done({ kind: 'sent', detail: final.text }, true);
      } catch (e) {
        const code = (e as { smtpCode?: number }).smtpCode;
        done(
          code !== undefined && code >= 500
            ? { kind: 'failed', error: (e as Error).message }
            : { kind: 'retry', error: (e as Error).message },
        );
      }
    });
  });
