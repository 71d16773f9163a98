/**
 * Checks of `topdown.json` that a JSON Schema cannot express, run once the file conforms to the schema:
 * unique candidate names, a metric that fits the task, models that fit the task and the preparation, a
 * validation scheme that fits time series. Each problem names its field.
 */
import type { CandidateConfig, PrepareOp, ProjectConfig } from './config';
import { isClassification } from './config';
import type { JsonText, ProjectProblem } from './json-text';
import { kindProblem, modelSpec } from './models/kinds';
import { isContainedRelativePath } from './paths';

const CLASSIFICATION_METRICS = ['accuracy', 'log-loss', 'f1', 'precision', 'recall', 'roc-auc'];
const REGRESSION_METRICS = ['rmse', 'mse', 'mae', 'r2'];

/** Adds one problem at a field of topdown.json (its value, or its key for a setting that should go). */
type Report = (
  severity: ProjectProblem['severity'],
  field: string,
  message: string,
  part?: 'key' | 'value',
) => void;

/** The metric and the problem's settings against the task. */
function problemChecks({ problem }: ProjectConfig, report: Report): void {
  const classification = isClassification(problem.task);
  if (problem.metric !== undefined) {
    const allowed = classification ? CLASSIFICATION_METRICS : REGRESSION_METRICS;
    if (!allowed.includes(problem.metric)) {
      report(
        'error',
        '/problem/metric',
        `metric \`${problem.metric}\` does not fit task \`${problem.task}\`; use one of: ${allowed.join(', ')}`,
      );
    } else if (problem.metric === 'roc-auc' && problem.task !== 'binary') {
      report(
        'error',
        '/problem/metric',
        `metric \`roc-auc\` needs task \`binary\` (task is \`${problem.task}\`); use accuracy, log-loss or f1`,
      );
    }
  }
  if (problem.positiveClass !== undefined && problem.task !== 'binary') {
    report(
      'error',
      '/problem/positiveClass',
      `\`positiveClass\` applies to task \`binary\` only (task is \`${problem.task}\`); remove it`,
      'key',
    );
  }
  if (problem.timeColumn !== undefined && problem.task !== 'time-series') {
    report(
      'warning',
      '/problem/timeColumn',
      `\`timeColumn\` is used by task \`time-series\` only (task is \`${problem.task}\`)`,
      'key',
    );
  }
}

/** Ops that need a task (`window`, `image`); returns whether the preparation windows the rows. */
function prepareChecks(config: ProjectConfig, report: Report): boolean {
  const { problem } = config;
  const prepare = config.prepare ?? [];
  const windowIndex = prepare.findIndex((op) => op.op === 'window');
  if (windowIndex >= 0 && problem.task !== 'time-series') {
    report(
      'error',
      `/prepare/${windowIndex}/op`,
      `op \`window\` needs task \`time-series\` (task is \`${problem.task}\`)`,
    );
  }
  if (problem.task === 'time-series' && windowIndex < 0) {
    report(
      'warning',
      '/problem/task',
      'task `time-series` usually needs a `window` op in `prepare`, e.g. {"op": "window", "lookBack": 12}',
    );
  }
  const imageIndex = prepare.findIndex((op) => op.op === 'image');
  if (imageIndex >= 0 && problem.task !== 'image') {
    report(
      'error',
      `/prepare/${imageIndex}/op`,
      `op \`image\` needs task \`image\` (task is \`${problem.task}\`)`,
    );
  }
  return windowIndex >= 0;
}

/** The validation scheme and its settings against the task. */
function validationChecks({ problem, evaluate }: ProjectConfig, report: Report): void {
  const classification = isClassification(problem.task);
  const { validation } = evaluate;
  if (problem.task === 'time-series' && validation.scheme !== 'walk-forward') {
    report(
      'warning',
      '/evaluate/validation/scheme',
      `time series should use scheme \`walk-forward\` (\`${validation.scheme}\` lets models train on the future of what they predict)`,
    );
  }
  if (validation.scheme === 'stratified-kfold' && !classification) {
    report(
      'error',
      '/evaluate/validation/scheme',
      `scheme \`stratified-kfold\` needs a classification task (task is \`${problem.task}\`); use \`kfold\``,
    );
  }
  if (validation.scheme === 'walk-forward' && validation.shuffle === true) {
    report(
      'warning',
      '/evaluate/validation/shuffle',
      'walk-forward never shuffles; `shuffle` is ignored',
      'key',
    );
  }
  if (validation.repeats !== undefined && validation.scheme !== 'repeated-kfold') {
    report(
      'warning',
      '/evaluate/validation/repeats',
      `\`repeats\` applies to scheme \`repeated-kfold\` only (scheme is \`${validation.scheme}\`)`,
      'key',
    );
  }
}

/** The ops that decide what every candidate shares: the samples (`window`) and the pixels loaded (`image`'s size). */
const SHARED_OPS = {
  window: (op: PrepareOp) => JSON.stringify(op),
  image: (op: PrepareOp) => (op.op === 'image' ? `${op.rows}×${op.cols}×${op.channels ?? 1}` : ''),
} as const;

/**
 * A candidate's own `prepare` against the project's: its `window` op and its `image` op's size must be the
 * project's, since the folds (and the images loaded) are shared by every candidate.
 */
function candidatePrepareChecks(
  config: ProjectConfig,
  candidate: CandidateConfig,
  pointer: string,
  report: Report,
): void {
  if (!candidate.prepare) return;
  const own = candidate.prepare;
  const project = config.prepare ?? [];
  for (const kind of Object.keys(SHARED_OPS) as Array<keyof typeof SHARED_OPS>) {
    const key = SHARED_OPS[kind];
    const projectOp = project.find((op) => op.op === kind);
    const ownIndex = own.findIndex((op) => op.op === kind);
    const ownOp = ownIndex >= 0 ? own[ownIndex] : undefined;
    if ((projectOp ? key(projectOp) : undefined) === (ownOp ? key(ownOp) : undefined)) continue;
    const what = kind === 'window' ? 'the samples and folds' : 'the images loaded';
    const field = ownOp ? `${pointer}/prepare/${ownIndex}` : `${pointer}/prepare`;
    const fix = projectOp
      ? `repeat the project's ${JSON.stringify(projectOp)}`
      : `remove it (the project's \`prepare\` has none)`;
    report(
      'error',
      field,
      `a candidate's \`prepare\` keeps the project's \`${kind}\` op, since ${what} are shared by every candidate: ${fix}`,
    );
  }
}

/** Unique candidate names, models that fit the task and the preparation, custom modules inside the project. */
function candidateChecks(config: ProjectConfig, windowed: boolean, report: Report): void {
  const { problem, evaluate } = config;
  const firstIndexByName = new Map<string, number>();
  evaluate.candidates.forEach((candidate, index) => {
    const pointer = `/evaluate/candidates/${index}`;
    const earlier = firstIndexByName.get(candidate.name);
    if (earlier !== undefined) {
      report(
        'error',
        `${pointer}/name`,
        `duplicate candidate name \`${candidate.name}\` (also /evaluate/candidates/${earlier}/name); names must be unique`,
      );
    } else {
      firstIndexByName.set(candidate.name, index);
    }
    candidatePrepareChecks(config, candidate, pointer, report);
    const unsuited = kindProblem(candidate.model, { task: problem.task, windowed });
    if (unsuited) report('error', `${pointer}/model`, unsuited);
    const mismatch = modelSpec(candidate.model)?.check?.(candidate);
    if (mismatch) report('error', `${pointer}/${mismatch.parameter}`, mismatch.message);
    if (candidate.model === 'custom' && !isContainedRelativePath(candidate.module)) {
      report(
        'error',
        `${pointer}/module`,
        `custom model module \`${candidate.module}\` is outside the project; give a path relative to the project folder, without \`..\``,
      );
    }
  });
}

/** Problems of a schema-valid project config, in the order the checks run (the caller sorts them). */
export function semanticProblems(document: JsonText, config: ProjectConfig): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const report: Report = (severity, field, message, part = 'value') => {
    problems.push({ message, field, severity, ...document.rangeOf(field, part) });
  };
  problemChecks(config, report);
  const windowed = prepareChecks(config, report);
  validationChecks(config, report);
  candidateChecks(config, windowed, report);
  return problems;
}
