/** `topdown new <template> <dir>`: copies a template project (data, topdown.json, README, example model). */
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { get as levenshtein } from 'fast-levenshtein';
import { TopdownError } from '../core/errors';

/** The folder that holds the templates: beside dist/ when bundled, at the repo root from source. */
export function templatesRoot(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, 'templates');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    dir = dirname(dir);
  }
  throw new TopdownError('INTERNAL', `The templates folder was not found near ${__dirname}.`, {
    hint: 'Reinstall Topdown; the templates ship in its package.',
  });
}

/** One template: its folder name and one-line description (topdown.json `description`). */
export interface TemplateInfo {
  name: string;
  description: string;
  dir: string;
}

/** Every template, sorted by name. */
export function listTemplates(): TemplateInfo[] {
  const root = templatesRoot();
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'topdown.json')))
    .map((entry) => {
      const dir = join(root, entry.name);
      const config = JSON.parse(readFileSync(join(dir, 'topdown.json'), 'utf8')) as { description?: string };
      return { name: entry.name, description: config.description ?? '', dir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Copies template `name` into `targetDir`; refuses a non-empty folder unless `force`. */
export function scaffoldTemplate(name: string, targetDir: string, options: { force?: boolean } = {}): string {
  const templates = listTemplates();
  const template = templates.find((candidate) => candidate.name === name);
  if (!template) {
    const closest = [...templates].sort((a, b) => levenshtein(a.name, name) - levenshtein(b.name, name))[0];
    throw new TopdownError('USAGE', `There is no template named "${name}".`, {
      hint: `${closest ? `Did you mean "${closest.name}"? ` : ''}Templates: ${templates.map((t) => t.name).join(', ')}.`,
    });
  }
  const target = resolve(targetDir);
  if (existsSync(target) && readdirSync(target).length > 0 && !options.force) {
    throw new TopdownError('USAGE', `The folder ${target} is not empty.`, {
      file: target,
      hint: 'Choose a new folder, or pass --force to overwrite the template files in it (your runs/ are kept).',
    });
  }
  cpSync(template.dir, target, { recursive: true, force: true });
  return target;
}
