import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A project whose node_modules holds a stand-in `webgpu` (Dawn's binding), an ES module with the given body: one
 * that throws (a binary for another platform), prints a driver's warnings, or offers a made-up adapter.
 */
export function projectWithWebgpu(body: string, version = '0.0.1'): string {
  const project = mkdtempSync(join(tmpdir(), 'topdown-webgpu-'));
  const packageDir = join(project, 'node_modules', 'webgpu');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{"name":"project"}');
  writeFileSync(
    join(packageDir, 'package.json'),
    JSON.stringify({ name: 'webgpu', version, type: 'module', main: 'index.js' }),
  );
  writeFileSync(join(packageDir, 'index.js'), body);
  return project;
}
