// Child process for the outbox crash test: opens the portfolio file and delivers the outbox at a fixed time.
// The parent kills it with SIGKILL in the middle of a delivery (while a fake server holds its answer back).
import { PortfolioStore } from '../../src/main/core/db/store';
import { deliverOutbox } from '../../src/main/core/routing/outbox';

const [path, nowIso] = process.argv.slice(2);
const store = await PortfolioStore.open(path!);
const report = await deliverOutbox({ store, now: () => new Date(nowIso!) });
process.stdout.write(`${JSON.stringify(report)}\n`);
store.close();
