/**
 * A loopback SMTP server for tests, over node:net, speaking enough of RFC 5321 for a client: 220 greeting,
 * EHLO (advertises 8BITMIME) / HELO, MAIL FROM, RCPT TO, DATA (354, then the message up to a line with a
 * single dot, undoing dot-stuffing), RSET, NOOP, QUIT. Records every message it accepted. It can be told to
 * refuse at a stage with a given code, to drop the connection after the message without answering, or to go
 * down (connection refused) and come back on the same port.
 */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

export interface SmtpMessage {
  helo: string | null;
  from: string;
  to: string[];
  /** The message as received, after undoing dot-stuffing, CRLF line ends. */
  data: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export interface SmtpFaults {
  /** Answer this code to the command of that stage instead of accepting it. */
  refuse?: { stage: 'MAIL' | 'RCPT' | 'DATA' | 'END'; code: number } | null;
  /** Close the connection after the end of DATA without answering (the client cannot know). */
  dropAfterData?: boolean;
}

export class FakeSmtp {
  readonly messages: SmtpMessage[] = [];
  /** Messages whose DATA ended, whether or not they were acknowledged. */
  readonly received: SmtpMessage[] = [];
  faults: SmtpFaults = {};
  onMessage: ((m: SmtpMessage) => void) | null = null;
  private server: Server | null = null;
  private port = 0;
  private readonly sockets = new Set<Socket>();

  static async start(port = 0): Promise<FakeSmtp> {
    const f = new FakeSmtp();
    await f.listen(port);
    return f;
  }

  get address(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((s) => this.session(s));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    const reply = (line: string): void => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    let helo: string | null = null;
    let from: string | null = null;
    let to: string[] = [];
    let inData = false;
    let dataLines: string[] = [];
    let buf = '';
    reply('220 fake.smtp.test ESMTP ready');
    const refuse = (stage: NonNullable<SmtpFaults['refuse']>['stage']): boolean => {
      const r = this.faults.refuse;
      if (r && r.stage === stage) {
        reply(`${r.code} refused by test at ${stage}`);
        return true;
      }
      return false;
    };
    const onLine = (line: string) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          const data = `${dataLines.join('\r\n')}\r\n`;
          const split = data.indexOf('\r\n\r\n');
          const headerText = split >= 0 ? data.slice(0, split) : data;
          const headers: Record<string, string> = {};
          for (const h of headerText.split(/\r\n(?![ \t])/)) {
            const i = h.indexOf(':');
            if (i > 0) headers[h.slice(0, i).toLowerCase()] = h.slice(i + 1).trim();
          }
          const msg: SmtpMessage = {
            helo,
            from: from ?? '',
            to,
            data,
            headers,
            body: split >= 0 ? data.slice(split + 4) : '',
            at: Date.now(),
          };
          this.received.push(msg);
          this.onMessage?.(msg);
          from = null;
          to = [];
          dataLines = [];
          if (this.faults.dropAfterData) {
            socket.destroy();
            return;
          }
          if (refuse('END')) return;
          this.messages.push(msg);
          reply(`250 2.0.0 OK queued as ${this.messages.length}`);
          return;
        }
        dataLines.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      const [cmd = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (cmd.toUpperCase()) {
        case 'EHLO':
          helo = arg;
          reply('250-fake.smtp.test greets you');
          reply('250-8BITMIME');
          reply('250 SIZE 10485760');
          return;
        case 'HELO':
          helo = arg;
          reply('250 fake.smtp.test');
          return;
        case 'MAIL': {
          if (refuse('MAIL')) return;
          const m = /^FROM:\s*<([^>]*)>/i.exec(arg);
          if (!m) return reply('501 5.5.4 syntax: MAIL FROM:<address>');
          from = m[1]!;
          to = [];
          return reply('250 2.1.0 OK');
        }
        case 'RCPT': {
          if (from === null) return reply('503 5.5.1 need MAIL first');
          if (refuse('RCPT')) return;
          const m = /^TO:\s*<([^>]+)>/i.exec(arg);
          if (!m) return reply('501 5.5.4 syntax: RCPT TO:<address>');
          to.push(m[1]!);
          return reply('250 2.1.5 OK');
        }
        case 'DATA':
          if (to.length === 0) return reply('503 5.5.1 need RCPT first');
          if (refuse('DATA')) return;
          inData = true;
          return reply('354 end data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = null;
          to = [];
          return reply('250 2.0.0 OK');
        case 'NOOP':
          return reply('250 2.0.0 OK');
        case 'QUIT':
          reply('221 2.0.0 bye');
          socket.end();
          return;
        default:
          return reply('500 5.5.2 unknown command');
      }
    };
    socket.on('data', (d: string) => {
      buf += d;
      let i = buf.indexOf('\r\n');
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        onLine(line);
        if (socket.destroyed) return;
        i = buf.indexOf('\r\n');
      }
    });
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    for (const sock of this.sockets) sock.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  async up(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  stop(): Promise<void> {
    return this.down();
  }
}
