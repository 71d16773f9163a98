/**
 * Where a path really leads, for containment checks: links are followed even when they dangle (a write through
 * a dangling link creates its target), and a path that does not exist yet resolves through its nearest existing
 * folder. Used before Topdown writes into a project (report files, saved charts) or loads code from it.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** More links than this in a row is a loop (the limit Linux uses). */
const MAX_LINKS = 40;

/** The real path `path` leads to (see the module comment). */
export function resolveReal(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const rest: string[] = [];
    let existing = current;
    // Walk up to the nearest entry that exists, links included (existsSync would skip a dangling link).
    for (;;) {
      try {
        lstatSync(existing);
        break;
      } catch {
        const parent = dirname(existing);
        if (parent === existing) return current;
        rest.unshift(existing.slice(parent.length).replace(/^[\\/]/, ''));
        existing = parent;
      }
    }
    let real: string;
    try {
      real = realpathSync(existing);
    } catch {
      // A dangling link: follow it by hand, then resolve again from where it points.
      const target = readlinkSync(existing);
      current = join(resolve(dirname(existing), target), ...rest);
      continue;
    }
    return join(real, ...rest);
  }
  return current;
}

/** Whether `path`, links followed, lies inside `folder` (or is it). */
export function isInsideFolder(folder: string, path: string): boolean {
  return isWithin(resolveReal(folder), resolveReal(path));
}

/** Whether `child` is `root` or inside it (both absolute paths, already resolved). */
export function isWithin(root: string, child: string): boolean {
  const path = relative(root, child);
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !isAbsolute(path));
}

/** Whether `path` is a plain relative path that stays inside its folder (no `..`, not absolute, no drive). */
export function isContainedRelativePath(path: string): boolean {
  if (path === '' || path.includes('\0') || isAbsolute(path) || /^[a-zA-Z]:/.test(path)) return false;
  return !path.split(/[\\/]/).some((part) => part === '..');
}
