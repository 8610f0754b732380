/**
 * What the built CLI accepts, read from its own `--help` (test/cli/cli-process.ts runs dist/cli/bin.js),
 * and a check of one command line against it: subcommands, flags, flag values, argument count.
 */
import { runCli } from '../cli/cli-process.js';

export interface CommandHelp {
  readonly subcommands: ReadonlySet<string>;
  /** Each flag (long and short) -> whether it takes a value. */
  readonly options: ReadonlyMap<string, 'required' | 'optional' | 'none'>;
  readonly requiredArgs: number;
  readonly optionalArgs: number;
}

export function parseHelp(text: string): CommandHelp {
  const lines = text.split('\n');
  const usage = /^Usage: \S+(?: [a-z][\w-]*)* \[options\](.*)$/m.exec(text)?.[1] ?? '';
  const args = usage.trim() === '' ? [] : usage.trim().split(/\s+/);
  const variadic = args.some((arg) => arg.includes('...'));
  const options = new Map<string, 'required' | 'optional' | 'none'>();
  const subcommands = new Set<string>();
  let section = '';
  for (const line of lines) {
    const heading = /^(\w[\w ]*):/.exec(line);
    if (heading) section = heading[1]!;
    const option = /^ {2}(?:(-\w), )?(--[\w-]+)(?: ([<[]))?/.exec(line);
    if (section === 'Options' && option) {
      const takes = option[3] === '<' ? 'required' : option[3] === '[' ? 'optional' : 'none';
      options.set(option[2]!, takes);
      if (option[1] !== undefined) options.set(option[1], takes);
    }
    const command = /^ {2}([a-z][\w-]*)(?: |$)/.exec(line);
    if (section === 'Commands' && command && command[1] !== 'help') subcommands.add(command[1]!);
  }
  return {
    subcommands: args.includes('[command]') ? subcommands : new Set(),
    options,
    requiredArgs: args.filter((arg) => arg.startsWith('<')).length,
    optionalArgs: variadic ? Infinity : args.filter((arg) => arg.startsWith('[') && arg !== '[command]').length,
  };
}

/** `--help` of `pipebench <path...>`, asked of the built CLI once per path. */
export class CliHelp {
  private readonly cache = new Map<string, Promise<CommandHelp>>();

  of(path: readonly string[]): Promise<CommandHelp> {
    const key = path.join(' ');
    let help = this.cache.get(key);
    if (help === undefined) {
      help = runCli([...path, '--help']).then((result) => {
        if (result.code !== 0) throw new Error(`pipebench ${key} --help exited ${result.code}: ${result.stderr}`);
        return parseHelp(result.stdout);
      });
      this.cache.set(key, help);
    }
    return help;
  }

  /** Every way `pipebench <argv>` departs from what the CLI accepts; [] when it is sound. */
  async check(argv: readonly string[]): Promise<string[]> {
    const shown = `pipebench ${argv.join(' ')}`;
    const root = await this.of([]);
    let i = 0;
    while (argv[i]?.startsWith('-') === true && root.options.has(argv[i]!)) i++;
    const path: string[] = [];
    let help = root;
    while (help.subcommands.size > 0) {
      const word = argv[i];
      if (word === undefined || !help.subcommands.has(word)) {
        return [`${shown}: "${word ?? ''}" is not a subcommand of pipebench ${path.join(' ')} (${[...help.subcommands].join(', ')})`];
      }
      path.push(word);
      help = await this.of(path);
      i++;
    }
    return checkArguments(shown, help, argv.slice(i));
  }
}

function checkArguments(shown: string, help: CommandHelp, rest: readonly string[]): string[] {
  const problems: string[] = [];
  let positional = 0;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('-') || word === '-') {
      positional++;
      continue;
    }
    const [flag, inline] = word.split(/=(.*)/s) as [string, string | undefined];
    const takes = help.options.get(flag);
    if (takes === undefined) {
      problems.push(`${shown}: ${flag} is not a flag of this command`);
    } else if (takes === 'none' && inline !== undefined) {
      problems.push(`${shown}: ${flag} takes no value`);
    } else if (takes === 'required' && inline === undefined) {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('-')) problems.push(`${shown}: ${flag} needs a value`);
      else i++;
    } else if (takes === 'optional' && inline === undefined) {
      while (rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('-')) i++;
    }
  }
  if (positional < help.requiredArgs || positional > help.requiredArgs + help.optionalArgs) {
    problems.push(`${shown}: ${positional} arguments, expected ${help.requiredArgs} to ${help.requiredArgs + help.optionalArgs}`);
  }
  return problems;
}
