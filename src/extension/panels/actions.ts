/** What the host does for a panel's validated requests: save a PNG, write a trial into topdown.json. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import type { ParameterValue } from '../../protocol/panels';
import { decodePng, reportFile } from './validate';

/** Writes a chart into `<project>/report/<fileName>`; returns the project-relative path written. */
export function savePng(projectDir: string, fileName: string, dataUrl: string): string {
  const path = reportFile(projectDir, fileName);
  if (!path.ok) throw new Error(`Cannot save ${fileName}: ${path.reason}.`);
  const png = decodePng(dataUrl);
  if (!png.ok) throw new Error(`Cannot save ${fileName}: ${png.reason}.`);
  mkdirSync(dirname(path.value), { recursive: true });
  writeFileSync(path.value, png.value);
  return `report/${fileName}`;
}

/**
 * Sets the trial's parameters on the candidate named `candidate` in `evaluate.candidates` of topdown.json,
 * keeping comments and formatting. Returns the file written.
 */
export function writeTrialParameters(
  projectDir: string,
  candidate: string,
  params: Record<string, ParameterValue>,
): string {
  const file = join(projectDir, 'topdown.json');
  let text = readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const project = parse(text, errors, { allowTrailingComma: true }) as {
    evaluate?: { candidates?: Array<{ name?: string }> };
  };
  if (errors.length > 0) throw new Error(`topdown.json does not parse; fix it before using a trial.`);
  const index = project.evaluate?.candidates?.findIndex((entry) => entry.name === candidate) ?? -1;
  if (index < 0)
    throw new Error(`topdown.json has no candidate named "${candidate}" in evaluate.candidates.`);
  const formatting = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
  for (const [name, value] of Object.entries(params)) {
    text = applyEdits(text, modify(text, ['evaluate', 'candidates', index, name], value, formatting));
  }
  writeFileSync(file, text);
  return file;
}
