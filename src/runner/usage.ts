/**
 * Usage errors of the `topdown` command line, each a TopdownError with code USAGE (exit 2): what node's
 * parseArgs refuses (an unknown option, an option without its value), an unknown command (with the closest
 * one), and a worker count beyond the cores.
 */
import { closestName } from '../core/data/infer';
import { TopdownError } from '../core/errors';

/** The hint of every usage error. */
export const HELP_HINT = 'See `topdown --help` for the commands and options.';

/** How parseArgs describes one option. */
interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/** The option a command-line word names (`--name`, `--name=value`, `-n`), or undefined for a positional. */
function optionName(word: string, options: Record<string, OptionSpec>): string | undefined {
  if (word.startsWith('--')) return word.slice(2).split('=')[0];
  if (word.startsWith('-') && word.length > 1) {
    const short = word.slice(1);
    return Object.keys(options).find((name) => options[name].short === short) ?? short;
  }
  return undefined;
}

/**
 * Turns an error of parseArgs over `argv` into a USAGE error that names the option at fault: unknown (with
 * the closest known option), a string option without its value, a boolean option given one. Errors that are
 * not parseArgs' pass through.
 */
export function parseArgsUsageError(
  error: unknown,
  argv: readonly string[],
  options: Record<string, OptionSpec>,
): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (!code.startsWith('ERR_PARSE_ARGS_')) return error;
  const names = Object.keys(options);
  for (const [index, word] of argv.entries()) {
    if (word === '--') break;
    const name = optionName(word, options);
    if (name === undefined) continue;
    const spec = options[name];
    if (spec === undefined) {
      const closest = closestName(name, names);
      return new TopdownError(
        'USAGE',
        `Unknown option "${word}".${closest ? ` Did you mean "--${closest}"?` : ''}`,
        { hint: HELP_HINT },
      );
    }
    const inline = word.includes('=');
    if (spec.type === 'string' && !inline) {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('-')) {
        return new TopdownError(
          'USAGE',
          `The option --${name} needs a value${value === undefined ? '' : ` (for a value that starts with "-", write --${name}=${value})`}.`,
          { hint: HELP_HINT },
        );
      }
    }
    if (spec.type === 'boolean' && inline) {
      return new TopdownError('USAGE', `The option --${name} takes no value ("${word}").`, {
        hint: HELP_HINT,
      });
    }
  }
  return new TopdownError('USAGE', (error as Error).message.split('\n')[0], { hint: HELP_HINT });
}

/** USAGE for a command that does not exist, with the closest command when one is near. */
export function unknownCommandError(command: string, commands: readonly string[]): TopdownError {
  const closest = closestName(command, commands);
  return new TopdownError(
    'USAGE',
    `Unknown command "${command}".${closest ? ` Did you mean "${closest}"?` : ''}`,
    { hint: `The commands are: ${commands.join(', ')}. ${HELP_HINT}` },
  );
}

/**
 * The worker count of `--workers <text>`: a whole number of at least 1 (USAGE otherwise), capped at the
 * cores of this machine, since each worker trains on a core of its own; `note` receives what was capped.
 */
export function workerCount(text: string, cores: number, note: (message: string) => void): number {
  const workers = Number(text);
  if (text.trim() === '' || !Number.isInteger(workers) || workers < 1) {
    throw new TopdownError('USAGE', `--workers must be a whole number of at least 1, not "${text}".`, {
      hint: HELP_HINT,
    });
  }
  if (workers > cores) {
    note(`--workers ${workers} is more than the ${cores} cores of this machine: using ${cores} workers.`);
    return cores;
  }
  return workers;
}
