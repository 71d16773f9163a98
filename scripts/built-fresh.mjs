// Whether a file `npm run build` wrote is newer than every source it was built from: tests then use it as built
// (scripts/run-tests.mjs for dist/worker.main.js, test/webview/harness.ts for dist/webviews/<kind>.js).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The latest modification time of the files under `path` (a file or a folder); 0 where nothing is. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), 0);
}

/** Whether `built` exists and was written after every file under `sources` (files or folders). */
export function builtAfter(built, sources) {
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return sources.every((source) => newest(source) <= builtAt);
}
