/**
 * A loopback fake of an OpenAI-compatible chat-completions endpoint (as Ollama or LM Studio serve it).
 * It records every request body it receives, so tests can assert what left the process, and answers with a
 * short summary that echoes the placeholders it was given (so restoring them can be tested).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLlm {
  baseUrl: string;
  /** Raw request bodies, in order. */
  received: string[];
  paths: string[];
  close(): Promise<void>;
}

export const startFakeLlm = async (
  opts: { status?: number; reply?: (prompt: string) => string } = {},
): Promise<FakeLlm> => {
  const received: string[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      received.push(body);
      paths.push(req.url ?? '');
      if (opts.status && opts.status !== 200) {
        res.writeHead(opts.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake failure' } }));
        return;
      }
      let prompt = '';
      try {
        const parsed = JSON.parse(body) as { messages?: { role: string; content: string }[] };
        prompt = parsed.messages?.map((m) => m.content).join('\n') ?? '';
      } catch {
        // leave the prompt empty
      }
      const placeholders = [...new Set(prompt.match(/\[(?:PERSON|EMAIL|PHONE)_\d+\]/g) ?? [])];
      const content = opts.reply
        ? opts.reply(prompt)
        : `The account is at risk [1]. People involved: ${placeholders.join(', ') || 'none named'} [2].`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          model: 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
