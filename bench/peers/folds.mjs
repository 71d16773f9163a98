// Writes a project's validation folds as Topdown makes them (holdout reserved, then the validation scheme over
// the rest, from the project's seed), so that a peer script scores the very same rows.
// Run: node --import tsx bench/peers/folds.mjs <project dir> <out.json>
// Output: { samples, classes, labels: class index per sample, holdout: [...], folds: [{ train, validation }] }
import { writeFileSync } from 'node:fs';
import { loadProject } from '../../src/core/project.ts';
import { loadProjectData, projectFolds } from '../../src/core/steps/data.ts';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  process.stderr.write('usage: node --import tsx bench/peers/folds.mjs <project dir> <out.json>\n');
  process.exit(2);
}
const project = await loadProject(dir);
const data = await loadProjectData(project);
const folds = projectFolds(project, data);
writeFileSync(
  out,
  JSON.stringify({
    samples: data.sampleCount,
    classes: data.classes,
    labels: data.labels ? Array.from(data.labels) : undefined,
    holdout: data.holdout,
    folds: folds.map((fold) => ({ train: fold.train, validation: fold.validation })),
  }),
);
