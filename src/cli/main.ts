/**
 * `bellwether` — the command-line interface over the same core the app uses.
 * Each command lives in src/cli/commands/<name>.ts and is listed in COMMANDS. Bad arguments or input:
 * exit code 2 (usage) or 1 (input/runtime) with a one-line reason on stderr.
 */
import { CoreError } from '../shared/result';
import { type ParsedArgs, parseArgs, UsageError } from './args';
import { accountsCommand } from './commands/accounts';
import { backtestCommand } from './commands/backtest';
import { briefCommand } from './commands/brief';
import { demoCommand } from './commands/demo';
import { escalateCommand } from './commands/escalate';
import { importCommand } from './commands/import';
import { metricsCommand } from './commands/metrics';
import { modelCardCommand } from './commands/model-card';
import { modelEvalCommand } from './commands/model-eval';
import { modelTrainCommand } from './commands/model-train';
import { planCommand } from './commands/plan';
import { reviewCommand } from './commands/review';
import { routeCommand } from './commands/route';
import { scoreCommand } from './commands/score';
import { sentimentCommand } from './commands/sentiment';
import { serveCommand } from './commands/serve';
import { syncCommand } from './commands/sync';
import { tickCommand } from './commands/tick';
import { triageEvalCommand, triageTrainCommand } from './commands/triage';

export interface CliCommand {
  summary: string;
  usage: string;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const COMMANDS: Record<string, CliCommand> = {
  score: scoreCommand,
  backtest: backtestCommand,
  demo: demoCommand,
  serve: serveCommand,
  accounts: accountsCommand,
  sentiment: sentimentCommand,
  'triage eval': triageEvalCommand,
  'triage train': triageTrainCommand,
  import: importCommand,
  sync: syncCommand,
  brief: briefCommand,
  plan: planCommand,
  escalate: escalateCommand,
  route: routeCommand,
  tick: tickCommand,
  'model eval': modelEvalCommand,
  metrics: metricsCommand,
  review: reviewCommand,
  'model train': modelTrainCommand,
  'model card': modelCardCommand,
};

const help = (): string =>
  [
    'usage: bellwether <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([, c]) => `  ${c.usage}\n      ${c.summary}`),
  ].join('\n');

export const runCli = async (argv: string[], io: CliIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  // Commands with sub-commands (e.g. `model eval`) are registered as "model eval".
  const two = rest[0] && !rest[0].startsWith('--') ? `${name} ${rest[0]}` : undefined;
  const key = two && COMMANDS[two] ? two : name;
  const cmd = COMMANDS[key];
  if (!cmd) {
    io.err(`bellwether: unknown command "${key}" (try: bellwether help)`);
    return 2;
  }
  const args = parseArgs(key === two ? rest.slice(1) : rest);
  try {
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`bellwether: ${e.message}\nusage: ${cmd.usage}`);
      return 2;
    }
    if (e instanceof CoreError) {
      io.err(
        `bellwether ${key}: ${e.message}${e.where && !e.message.includes(e.where) ? ` (at ${e.where})` : ''}`,
      );
      return 1;
    }
    io.err(`bellwether ${key}: ${(e as Error).message.split('\n')[0]}`);
    return 1;
  }
};

export const stdio: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};
