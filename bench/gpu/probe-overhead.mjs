// What `auto`'s measuring costs, on the digits template (two CNNs, an MLP and a softmax, 5 folds × 20 epochs):
// looking for accelerators (what every job pays), measuring with webgpu forced into the contenders (what a job
// pays once per model shape on a GPU machine; on llvmpipe here it is the worst case), and the cached answer.
// Compare with the job itself: `time node --import tsx src/runner/cli.ts evaluate <dir> --backend wasm`.
// Usage: node --import tsx bench/gpu/probe-overhead.mjs [--epochs N] [--evaluate]
// --epochs sets every candidate's epochs (the template has 20; 100 makes a job big enough to be measured).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../src/core/project.ts';
import { loadProjectData, projectFolds, projectSeed } from '../../src/core/steps/data.ts';
import { resolveCandidate } from '../../src/core/models/zoo.ts';
import { chooseBackend, findAccelerators } from '../../src/runner/backend-probe.ts';
import { scaffoldTemplate } from '../../src/runner/scaffold.ts';

const epochsIndex = process.argv.indexOf('--epochs');
const epochs = epochsIndex > 0 ? Number(process.argv[epochsIndex + 1]) : undefined;

async function main() {
  const dir = scaffoldTemplate('digits', join(mkdtempSync(join(tmpdir(), 'topdown-probe-')), 'digits'));
  const project = await loadProject(dir);
  const data = await loadProjectData(project);
  const folds = projectFolds(project, data);
  const request = {
    projectDir: dir,
    candidates: project.config.evaluate.candidates.map((candidate) => {
      const resolved = resolveCandidate(candidate);
      return epochs !== undefined && 'epochs' in resolved ? { ...resolved, epochs } : resolved;
    }),
    trainRows: folds[0].train,
    validationRows: folds[0].validation,
    seed: projectSeed(project),
    folds: folds.length,
    shapeKey: project.hash,
  };

  let started = performance.now();
  const found = await findAccelerators(dir);
  console.log(
    `find accelerators: ${(performance.now() - started).toFixed(0)} ms (${found.reasons.join('; ')})`,
  );

  const accelerators = { names: ['webgpu'], reasons: [], fingerprint: 'forced' };
  started = performance.now();
  const measured = await chooseBackend(request, { accelerators });
  const measuredMs = performance.now() - started;
  console.log(`measure (webgpu forced, then wasm): ${measuredMs.toFixed(0)} ms; chose ${measured.backend}`);
  for (const entry of measured.probe ?? []) console.log(`  ${JSON.stringify(entry)}`);
  console.log(`  ${measured.reasons.at(-1)}`);

  started = performance.now();
  const cached = await chooseBackend(request, { accelerators });
  console.log(`cached: ${(performance.now() - started).toFixed(0)} ms; chose ${cached.backend}`);

  if (process.argv.includes('--evaluate')) {
    started = performance.now();
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/runner/cli.ts', 'evaluate', dir, '--backend', 'wasm', '--json'],
      { encoding: 'utf8' },
    );
    const jobMs = performance.now() - started;
    console.log(`evaluate on wasm: ${(jobMs / 1000).toFixed(1)} s (exit ${result.status})`);
    console.log(`measuring once costs ${((100 * measuredMs) / jobMs).toFixed(1)}% of this job`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
