import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortfolioStore } from '../src/main/core/db/store';

const tmp = () => mkdtempSync(join(tmpdir(), 'bw-persist-'));
const now = '2026-01-01T00:00:00.000Z';
const insert = (s: PortfolioStore, name: string) =>
  s.write((tx) =>
    tx.run("INSERT INTO accounts(name, segment, created_at, updated_at) VALUES (?, 'smb', ?, ?)", [
      name,
      now,
      now,
    ]),
  );
const names = (s: PortfolioStore) =>
  s.all<{ name: string }>('SELECT name FROM accounts ORDER BY id').map((r) => r.name);

/** Runs the writer child until it has acknowledged at least `minAcks` commits, then SIGKILLs it. */
const killWriterAfter = (path: string, minAcks: number, compactAt: number): Promise<number[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'helpers/writer-child.ts'), path, String(compactAt)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked: number[] = [];
    let buf = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) acked.push(Number(l));
      if (acked.length >= minAcks && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${err}`));
      else resolve(acked);
    });
  });

describe('durable persistence', () => {
  it('keeps every acknowledged commit across a reopen without close', async () => {
    const p = join(tmp(), 'p.bellwether');
    const s = await PortfolioStore.open(p);
    for (let i = 0; i < 20; i++) insert(s, `A${i}`);
    // No close(): the process "dies" here. Reopen from the files alone.
    const s2 = await PortfolioStore.open(p);
    expect(names(s2)).toHaveLength(20);
    expect(s2.report.replayed).toBe(20);
    s2.close();
  });

  it('a small commit appends to the journal instead of rewriting the database', async () => {
    const p = join(tmp(), 'p.bellwether');
    const s = await PortfolioStore.open(p);
    const before = readFileSync(p);
    insert(s, 'one');
    expect(readFileSync(p).equals(before)).toBe(true);
    expect(readFileSync(`${p}.journal`).length).toBeGreaterThan(8);
    s.close();
  });

  for (const [label, compactAt] of [
    ['journal only', 64 * 1024 * 1024],
    ['with frequent compactions', 4096],
  ] as const) {
    it(`loses no acknowledged change when the writer is killed with SIGKILL (${label})`, async () => {
      const p = join(tmp(), 'p.bellwether');
      for (let round = 0; round < 3; round++) {
        const acked = await killWriterAfter(p, 150 + round * 37, compactAt);
        const s = await PortfolioStore.open(p);
        const ids = new Set(s.all<{ id: number }>('SELECT id FROM accounts').map((r) => r.id));
        for (const id of acked) expect(ids.has(id)).toBe(true);
        expect(s.get<{ q: string }>('PRAGMA integrity_check')?.q ?? 'ok').toBe('ok');
        s.close();
      }
    });
  }

  it('drops a torn record at the end of the journal (a crash mid-write) and keeps the rest', async () => {
    const p = join(tmp(), 'p.bellwether');
    const s = await PortfolioStore.open(p);
    insert(s, 'kept');
    appendFileSync(`${p}.journal`, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));
    const s2 = await PortfolioStore.open(p);
    expect(names(s2)).toEqual(['kept']);
    expect(s2.report.tornTail).toBe(true);
    insert(s2, 'after');
    const s3 = await PortfolioStore.open(p);
    expect(names(s3)).toEqual(['kept', 'after']);
    s3.close();
  });

  it('refuses a corrupt snapshot with a clear error, and recovers the last good state on request', async () => {
    const p = join(tmp(), 'p.bellwether');
    const s = await PortfolioStore.open(p);
    insert(s, 'first');
    s.compact();
    insert(s, 'second');
    s.compact();
    insert(s, 'third');
    s.close();
    // close() compacted: P holds all three; damage it.
    writeFileSync(
      p,
      Buffer.from('this is not a database at all, just some text that replaced it'.repeat(100)),
    );
    await expect(PortfolioStore.open(p)).rejects.toThrow(
      /not a readable Bellwether portfolio.*last good snapshot/s,
    );
    expect(readFileSync(p, 'utf8').startsWith('this is not')).toBe(true); // nothing was touched
    const r = await PortfolioStore.open(p, { recoverFromBackup: true });
    expect(r.report.recoveredFromBackup).toBe(true);
    expect(names(r)).toEqual(['first', 'second', 'third']);
    r.close();
  });

  it('refuses a journal damaged in the middle and leaves it untouched', async () => {
    const p = join(tmp(), 'p.bellwether');
    const s = await PortfolioStore.open(p);
    for (let i = 0; i < 5; i++) insert(s, `A${i}`);
    const j = readFileSync(`${p}.journal`);
    j[40] = j[40]! ^ 0xff; // flip bits inside the first record
    writeFileSync(`${p}.journal`, j);
    await expect(PortfolioStore.open(p)).rejects.toThrow(/journal .* is damaged at byte 8/);
    expect(readFileSync(`${p}.journal`).equals(j)).toBe(true);
  });

  it('refuses a portfolio written by a newer version and changes nothing', async () => {
    const p = join(tmp(), 'p.bellwether');
    const s = await PortfolioStore.open(p);
    s.engine.exec('PRAGMA user_version = 999');
    s.compact();
    s.close();
    const bytes = readFileSync(p);
    await expect(PortfolioStore.open(p)).rejects.toThrow(/newer version of Bellwether \(schema 999/);
    expect(readFileSync(p).equals(bytes)).toBe(true);
  });

  it('refuses to open a portfolio another live process holds', async () => {
    const p = join(tmp(), 'p.bellwether');
    const s = await PortfolioStore.open(p);
    s.close();
    writeFileSync(`${p}.lock`, String(process.ppid)); // a live process that is not us
    await expect(PortfolioStore.open(p)).rejects.toThrow(/already open in another Bellwether process/);
    writeFileSync(`${p}.lock`, '999999999'); // a stale lock from a dead process is taken over
    const s2 = await PortfolioStore.open(p);
    s2.close();
    expect(existsSync(`${p}.lock`)).toBe(false);
  });

  it('rolls back a failed transaction completely', async () => {
    const s = await PortfolioStore.memory();
    expect(() =>
      s.write((tx) => {
        tx.run("INSERT INTO accounts(name, segment, created_at, updated_at) VALUES ('x', 'smb', ?, ?)", [
          now,
          now,
        ]);
        tx.run(
          "INSERT INTO accounts(name, segment, created_at, updated_at) VALUES ('y', 'not-a-segment', ?, ?)",
          [now, now],
        );
      }),
    ).toThrow(/CHECK constraint/);
    expect(names(s)).toEqual([]);
  });
});
