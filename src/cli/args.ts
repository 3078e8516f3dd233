/** Tiny flag parser for the CLI: `--name value`, `--flag`, and positionals. Unknown flags are errors. */
export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export const parseArgs = (argv: string[]): ParsedArgs => {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
        continue;
      }
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags.set(a.slice(2), next);
        i++;
      } else flags.set(a.slice(2), true);
    } else positionals.push(a);
  }
  return { positionals, flags };
};

/** Reads flags for one command, refusing any it does not know. */
export class Flags {
  private readonly used = new Set<string>();
  constructor(
    private readonly command: string,
    private readonly parsed: ParsedArgs,
  ) {}

  string(name: string): string | undefined {
    this.used.add(name);
    const v = this.parsed.flags.get(name);
    if (v === true) throw new UsageError(`${this.command}: --${name} needs a value`);
    return v;
  }

  required(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new UsageError(`${this.command}: --${name} is required`);
    return v;
  }

  bool(name: string): boolean {
    this.used.add(name);
    const v = this.parsed.flags.get(name);
    if (v === undefined) return false;
    if (v === true || v === 'true') return true;
    if (v === 'false') return false;
    throw new UsageError(`${this.command}: --${name} takes no value`);
  }

  int(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v))
      throw new UsageError(`${this.command}: --${name} must be a whole number, got "${v}"`);
    return Number(v);
  }

  /** Call after reading every flag: refuses any flag the command does not know. */
  done(): void {
    for (const k of this.parsed.flags.keys()) {
      if (!this.used.has(k)) throw new UsageError(`${this.command}: unknown option --${k}`);
    }
  }
}
