// The `new --from-csv` planner against scikit-learn's best default model, table by table (issue: a plan's best
// candidate lands within one fold standard deviation of scikit-learn's best default on tables up to 100,000 rows).
// For each table of tables.py it runs `topdown new --from-csv` + `topdown evaluate --json` (the planned folds and
// candidates, wall time measured) and scikit-learn's defaults on the same folds: each fold's validation rows are
// those of the evaluate run's out-of-fold.json, so the holdout Topdown keeps for step 5 is left out of both sides.
// Run: npm run build && node bench/planner/run.mjs [--tables wine,letter-like] [--skip-sklearn] [--sklearn DIR]
// --sklearn DIR keeps scikit-learn's scores in DIR/sk-<table>.json with the folds' hash (`foldHash` of evaluate):
// a later run reuses them while Topdown's folds are the same, and scores again when they changed. Each line gives
// the wall time, the CPU seconds of the evaluate process tree (Linux) and the load average, since the machine is
// often shared.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '..', '..', 'bin', 'topdown.js');
const python = '/usr/bin/python3';
const { values } = parseArgs({
  options: {
    tables: { type: 'string' },
    'skip-sklearn': { type: 'boolean', default: false },
    sklearn: { type: 'string' },
  },
});

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'topdown-planner-'));
const written = run(python, [path.join(here, 'tables.py'), 'write', path.join(work, 'data')]);
const tables = JSON.parse(written.stdout).filter(
  (table) => !values.tables || values.tables.split(',').includes(table.name),
);
const rows = [];
for (const table of tables) {
  const project = path.join(work, table.name);
  run(process.execPath, [cli, 'new', '--from-csv', table.csv, '--target', table.target, project, '--force']);
  const loadBefore = os.loadavg()[0];
  const started = Date.now();
  const cpuBefore = childCpuSeconds();
  const evaluated = JSON.parse(run(process.execPath, [cli, 'evaluate', project, '--json']).stdout);
  const seconds = (Date.now() - started) / 1000;
  const cpu = cpuBefore === undefined ? undefined : childCpuSeconds() - cpuBefore;
  const load = { start: loadBefore, end: os.loadavg()[0] };
  const higher = evaluated.higherIsBetter;
  const scored = evaluated.candidates.filter(
    (entry) => entry.status === 'completed' && entry.name !== 'baseline',
  );
  const best = scored.reduce((a, b) => ((higher ? a.mean >= b.mean : a.mean <= b.mean) ? a : b));
  const row = {
    table: table.name,
    note: table.note,
    metric: evaluated.metric,
    folds: evaluated.folds,
    seconds,
    cpu,
    load,
    best,
    candidates: scored.map((entry) => ({ name: entry.name, mean: entry.mean, std: entry.std })),
  };
  if (!values['skip-sklearn']) {
    const peer = sklearnScores(table, evaluated, path.join(project, 'runs', best.runId, 'out-of-fold.json'));
    const [name, score] = Object.entries(peer).reduce((a, b) =>
      (higher ? a[1].mean >= b[1].mean : a[1].mean <= b[1].mean) ? a : b,
    );
    row.sklearn = { name, ...score };
    row.within = higher ? best.mean >= score.mean - score.std : best.mean <= score.mean + score.std;
  }
  rows.push(row);
  print(row);
}
fs.rmSync(work, { recursive: true, force: true });

/**
 * scikit-learn's default models on the folds of an evaluate run (tables.py score-folds), or their scores kept in
 * the --sklearn folder when they were measured on folds of the same hash.
 */
function sklearnScores(table, evaluated, outOfFold) {
  const saved = values.sklearn && path.join(values.sklearn, `sk-${table.name}.json`);
  if (saved && fs.existsSync(saved)) {
    const kept = JSON.parse(fs.readFileSync(saved, 'utf8'));
    if (kept.foldHash === evaluated.foldHash) return kept.scores;
  }
  const args = [path.join(here, 'tables.py'), 'score-folds', table.csv, table.target, table.task, outOfFold];
  const scores = JSON.parse(run(python, args).stdout);
  if (saved) {
    fs.mkdirSync(values.sklearn, { recursive: true });
    fs.writeFileSync(saved, JSON.stringify({ foldHash: evaluated.foldHash, scores }, null, 2));
  }
  return scores;
}

function print(row) {
  const fmt = (entry) => `${entry.name} ${entry.mean.toFixed(3)} ± ${entry.std.toFixed(3)}`;
  const peer = row.sklearn
    ? `sklearn ${fmt(row.sklearn)} → ${row.within ? 'within one std' : 'NOT within'}`
    : '';
  const cpu =
    row.cpu === undefined
      ? ''
      : ` (${row.cpu.toFixed(0)} s CPU, load ${row.load.start.toFixed(1)} → ${row.load.end.toFixed(1)})`;
  console.log(
    `${row.table} (${row.note}; ${row.metric}, ${row.folds} folds): topdown ${fmt(row.best)} in ${row.seconds.toFixed(0)} s${cpu}; ${peer}`,
  );
  console.log(`  ${JSON.stringify(row)}`);
}

/** CPU seconds (user + system) of the children this process has waited for, from /proc (Linux only). */
function childCpuSeconds() {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // cutime and cstime are fields 16 and 17 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0 && !(command === process.execPath && result.stdout.trim().startsWith('{'))) {
    process.stderr.write(result.stderr);
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  }
  return result;
}
