/**
 * The command a person types next, in the form that works where they are: `npx topdown` when Topdown runs from
 * an installed package, `node <path to bin/topdown.js>` in a clone of the repository. Display only: nothing here
 * is ever run through a shell.
 */
import { relative, sep } from 'node:path';

/** How this process was started, as a person would type it from the current folder. */
export function invocation(script: string | undefined = process.argv[1], cwd = process.cwd()): string {
  if (!script || script.split(sep).includes('node_modules')) return 'npx topdown';
  const path = relative(cwd, script) || script;
  return `node ${quote(path)}`;
}

/** A POSIX-shell rendering of an argument: as is when plain, else in single quotes. */
export function quote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** `Next: <invocation> <args>`, each argument quoted for a shell. */
export function nextCommand(args: string[], script?: string, cwd?: string): string {
  return `${invocation(script, cwd)} ${args.map(quote).join(' ')}`;
}
