// Child process for the crash test: opens a portfolio, commits rows as fast as it can and prints the id of
// each row once its commit has returned (i.e. was acknowledged). The parent kills it with SIGKILL.
import { PortfolioStore } from '../../src/main/core/db/store';

const [path, compactAt] = process.argv.slice(2);
const store = await PortfolioStore.open(path!, { compactAtBytes: Number(compactAt) });
const now = '2026-01-01T00:00:00.000Z';
let n = store.get<{ n: number }>('SELECT count(*) AS n FROM accounts')!.n;
for (;;) {
  n++;
  const name = `Acked ${n} ${'x'.repeat(n % 50)}`;
  const id = store.write((tx) =>
    tx.run("INSERT INTO accounts(name, segment, arr, created_at, updated_at) VALUES (?, 'smb', ?, ?, ?)", [
      name,
      n,
      now,
      now,
    ]),
  ).lastInsertRowid;
  process.stdout.write(`${id}\n`);
}
