// Topdown against its peers (PyTorch, scikit-learn, pandas) on the same work, side by side on this machine.
// For each case it writes a Topdown project folder, then alternates `topdown evaluate --json` (the default
// worker pool) with the peer's Python script, and reports medians of wall time, samples/s per process, peak
// memory of the whole process tree, the 1-minute load average at the start of each run, and the scores.
// Run: npm run bench:peers [-- --reps 3 --cases mlp-pima,cnn-digits --label before --cli path/to/topdown.js]
//      [--datasets ../shared/datasets] [--fashion folder of the Fashion-MNIST IDX files]
// Needs /usr/bin/python3 with torch, sklearn and pandas; installs the Debian packages when they are missing.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CASES, DATASETS, fashionFolder } from './cases.mjs';
import { ingestCsv } from '../ingest-data.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const python = '/usr/bin/python3';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    cases: { type: 'string' },
    label: { type: 'string', default: 'run' },
    workers: { type: 'string' },
    cli: { type: 'string', default: path.join(root, 'bin', 'topdown.js') },
    'ingest-rows': { type: 'string', default: '1400000' },
    datasets: { type: 'string', default: DATASETS },
    fashion: { type: 'string' },
  },
});
const datasets = path.resolve(values.datasets);
const fashion = path.resolve(values.fashion ?? fashionFolder(datasets));
const reps = Number(values.reps);
const chosen = values.cases ? values.cases.split(',') : CASES.map((entry) => entry.name);
const cases = CASES.filter((entry) => chosen.includes(entry.name));

ensurePeers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'topdown-peers-'));
const results = [];
for (const entry of cases) {
  const setup = prepareCase(entry);
  const runs = { topdown: [], peer: [] };
  for (let rep = 0; rep < reps; rep++) {
    // Alternate which side goes first, so a burst of load from elsewhere does not always hit the same one.
    const order = rep % 2 === 0 ? ['topdown', 'peer'] : ['peer', 'topdown'];
    for (const side of order) {
      const command = side === 'topdown' ? setup.topdown : setup.peer;
      const run = await measure(command[0], command.slice(1));
      if (run.code !== 0) {
        process.stderr.write(`${entry.name} ${side} failed (${run.code}):\n${run.stderr.slice(-2000)}\n`);
        process.exit(1);
      }
      run.score = side === 'topdown' ? setup.topdownScore(run.stdout) : peerScore(run.stdout);
      run.samples = side === 'peer' ? JSON.parse(run.stdout).samples : undefined;
      run.candidates = candidateMeans(side, run.stdout);
      runs[side].push(run);
      process.stderr.write(
        `${entry.name} ${side} rep ${rep + 1}: ${run.wall.toFixed(2)} s, cpu ${run.cpu.toFixed(2)} s, ` +
          `${run.peakMb.toFixed(0)} MB (largest process ${run.processPeakMb.toFixed(0)} MB, ` +
          `busiest process cpu ${run.busiestCpu.toFixed(2)} s), ` +
          `load ${run.load.toFixed(2)}, score ${format(run.score)}\n`,
      );
    }
  }
  results.push(summarise(entry, setup, runs));
}
fs.rmSync(work, { recursive: true, force: true });

const output = path.join(here, 'results', `${values.label}.json`);
fs.mkdirSync(path.dirname(output), { recursive: true });
fs.writeFileSync(
  output,
  JSON.stringify(
    { label: values.label, date: new Date().toISOString(), cores: os.cpus().length, results },
    null,
    2,
  ),
);
process.stdout.write(table(results));
process.stderr.write(`\nresults written to ${path.relative(root, output)}\n`);

/** Installs the Debian peers when /usr/bin/python3 cannot import them. */
function ensurePeers() {
  const check = spawnSync(python, ['-c', 'import torch, sklearn, pandas'], { stdio: 'ignore' });
  if (check.status === 0) return;
  process.stderr.write('installing python3-torch python3-sklearn python3-pandas with apt-get\n');
  const install = spawnSync(
    'apt-get',
    ['install', '-y', 'python3-torch', 'python3-sklearn', 'python3-pandas'],
    { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
  );
  if (install.status !== 0) throw new Error('apt-get could not install the Python peers.');
}

/** Writes the case's project folder (or the generated CSV) and returns both commands. */
function prepareCase(entry) {
  const cli = path.resolve(values.cli);
  const workers = values.workers ? ['--workers', values.workers] : [];
  if (entry.name === 'ingest-csv' || entry.ingest) {
    const { file, rows } = entry.ingest
      ? entry.ingest()
      : {
          file: ingestCsv(Number(values['ingest-rows']), 12, 'topdown-peers-ingest'),
          rows: Number(values['ingest-rows']),
        };
    return {
      topdown: [process.execPath, cli, 'columns', file, '--json'],
      peer: [python, path.join(here, entry.script), ...entry.peerArgs(file)],
      topdownScore: (stdout) => JSON.parse(stdout).rows,
      processes: { topdown: 1, peer: 1 },
      samples: rows,
      megabytes: fs.statSync(file).size / 1e6,
    };
  }
  const dir = path.join(work, entry.name);
  if (entry.template) return prepareTemplate(entry, cli, dir, workers);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const generated = entry.write ? path.join(dir, 'data', entry.data) : undefined;
  const source = generated ?? (entry.data === 'fashion-mnist' ? fashion : path.join(datasets, entry.data));
  if (generated) entry.write(generated);
  else if (entry.data === 'fashion-mnist') fashionCsv(fashion, path.join(dir, 'data', 'fashion.csv'));
  else fs.copyFileSync(source, path.join(dir, 'data', entry.data));
  fs.writeFileSync(path.join(dir, 'topdown.json'), JSON.stringify(entry.project, null, 2));
  const tasks = (entry.project.evaluate.validation.folds ?? 1) * entry.project.evaluate.candidates.length;
  const poolSize = values.workers ? Number(values.workers) : os.cpus().length;
  return {
    topdown: [process.execPath, cli, 'evaluate', dir, '--json', ...workers],
    peer: [python, path.join(here, entry.script), ...entry.peerArgs(source)],
    topdownScore: meanOfCandidates,
    processes: { topdown: Math.min(poolSize, tasks), peer: 1 },
  };
}

/**
 * A template case: `topdown new <template> <dir>` as shipped, and Topdown's folds of it (holdout, then the
 * validation scheme) written by folds.mjs for the peer script, which reads the project's topdown.json itself.
 */
function prepareTemplate(entry, cli, dir, workers) {
  const run = (args) => {
    const done = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (done.status !== 0) throw new Error(`${args.join(' ')} failed:\n${done.stderr}`);
  };
  run([cli, 'new', entry.template, dir]);
  const folds = path.join(work, `${entry.name}-folds.json`);
  run(['--import', 'tsx', path.join(here, 'folds.mjs'), dir, folds]);
  const project = JSON.parse(fs.readFileSync(path.join(dir, 'topdown.json'), 'utf8'));
  const tasks = JSON.parse(fs.readFileSync(folds, 'utf8')).folds.length * project.evaluate.candidates.length;
  const poolSize = values.workers ? Number(values.workers) : os.cpus().length;
  return {
    topdown: [process.execPath, cli, 'evaluate', dir, '--json', ...workers],
    peer: [python, path.join(here, entry.script), ...entry.peerArgs(dir, folds)],
    topdownScore: meanOfCandidates,
    processes: { topdown: Math.min(poolSize, tasks), peer: 1 },
  };
}

/** The mean of `topdown evaluate --json`'s candidate means, the baseline left out. */
function meanOfCandidates(stdout) {
  const candidates = JSON.parse(stdout).candidates.filter((candidate) => candidate.model !== 'baseline');
  return candidates.reduce((sum, candidate) => sum + candidate.mean, 0) / candidates.length;
}

/** Each candidate's mean score by name, when the side reports several candidates (else undefined). */
function candidateMeans(side, stdout) {
  const parsed = JSON.parse(stdout);
  if (side === 'topdown') {
    if (!parsed.candidates || parsed.candidates.length < 2) return undefined;
    return Object.fromEntries(parsed.candidates.map((candidate) => [candidate.name, candidate.mean]));
  }
  if (!parsed.candidates) return undefined;
  return Object.fromEntries(Object.entries(parsed.candidates).map(([name, result]) => [name, result.mean]));
}

/**
 * Fashion-MNIST as Topdown reads an image CSV today: a `label` column and 784 pixel columns, the 60,000 training
 * images then the 10,000 test images, from the IDX files (gzip) in `folder`.
 */
function fashionCsv(folder, file) {
  const read = (name, offset) => gunzipSync(fs.readFileSync(path.join(folder, name))).subarray(offset);
  const parts = [
    [read('train-images-idx3-ubyte.gz', 16), read('train-labels-idx1-ubyte.gz', 8)],
    [read('t10k-images-idx3-ubyte.gz', 16), read('t10k-labels-idx1-ubyte.gz', 8)],
  ];
  const header = ['label', ...Array.from({ length: 784 }, (_, pixel) => `p${pixel}`)].join(',');
  const descriptor = fs.openSync(file, 'w');
  fs.writeSync(descriptor, `${header}\n`);
  for (const [images, labels] of parts) {
    for (let row = 0; row < labels.length; row++) {
      const pixels = images.subarray(row * 784, row * 784 + 784);
      fs.writeSync(descriptor, `${labels[row]},${pixels.join(',')}\n`);
    }
  }
  fs.closeSync(descriptor);
}

function peerScore(stdout) {
  const parsed = JSON.parse(stdout);
  return parsed.mean ?? parsed.rows;
}

/** Runs a command; wall time, peak summed RSS of its process tree (sampled from /proc), load at start. */
function measure(command, args) {
  return new Promise((resolve) => {
    const load = os.loadavg()[0];
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let peak = 0;
    let processPeak = 0;
    // CPU ticks per process of the tree, as last seen: a worker's time counts even if nobody reaps it.
    const ticks = new Map();
    const sample = () => {
      const { total, largest } = treeRss(child.pid, ticks);
      peak = Math.max(peak, total);
      processPeak = Math.max(processPeak, largest);
    };
    const timer = setInterval(sample, 100);
    child.on('close', (code) => {
      clearInterval(timer);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = [...ticks.values()].reduce((sum, value) => sum + value, 0) / 100;
      // The busiest process: Topdown's worker that trained, or the Python process.
      const busiestCpu = Math.max(0, ...ticks.values()) / 100;
      const processPeakMb = processPeak / 1e6;
      resolve({ code, wall, cpu, busiestCpu, peakMb: peak / 1e6, processPeakMb, load, stdout, stderr });
    });
  });
}

/**
 * Resident bytes of a process and all its descendants (`total`) and of the largest one (`largest`); records
 * each one's CPU ticks (user + system).
 */
function treeRss(rootPid, ticks) {
  const parents = new Map();
  const rss = new Map();
  const cpu = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at state: ppid is the 2nd, rss the 22nd.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
      rss.set(Number(name), Number(fields[21]) * 4096);
      cpu.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  let largest = 0;
  for (const [pid, bytes] of rss) {
    let current = pid;
    while (current && current !== rootPid) current = parents.get(current);
    if (current !== rootPid) continue;
    total += bytes;
    largest = Math.max(largest, bytes);
    ticks.set(pid, Math.max(ticks.get(pid) ?? 0, cpu.get(pid)));
  }
  return { total, largest };
}

function median(values) {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarise(entry, setup, runs) {
  const samples = setup.samples ?? runs.peer[0].samples;
  const side = (name) => {
    const wall = median(runs[name].map((run) => run.wall));
    return {
      wallS: round(wall, 2),
      cpuS: round(median(runs[name].map((run) => run.cpu)), 2),
      samplesPerSecondPerProcess: Math.round(samples / wall / setup.processes[name]),
      // Load-proof: training samples per CPU-second of the busiest process (the one that trained).
      samplesPerCpuSecond: Math.round(samples / median(runs[name].map((run) => run.busiestCpu))),
      processPeakMb: Math.round(median(runs[name].map((run) => run.processPeakMb))),
      processes: setup.processes[name],
      peakMb: Math.round(median(runs[name].map((run) => run.peakMb))),
      load: round(median(runs[name].map((run) => run.load)), 2),
      score: round(median(runs[name].map((run) => run.score)), 4),
      walls: runs[name].map((run) => round(run.wall, 2)),
      candidates: runs[name][0].candidates
        ? Object.fromEntries(
            Object.keys(runs[name][0].candidates).map((candidate) => [
              candidate,
              round(median(runs[name].map((run) => run.candidates?.[candidate] ?? NaN)), 4),
            ]),
          )
        : undefined,
    };
  };
  const topdown = side('topdown');
  const peer = side('peer');
  return {
    name: entry.name,
    peer: entry.peer,
    metric: entry.metric,
    samples,
    topdown,
    peerResult: peer,
    ratio: round(topdown.wallS / peer.wallS, 2),
    processRatio: round(topdown.samplesPerCpuSecond / peer.samplesPerCpuSecond, 2),
    cpuRatio: round(topdown.cpuS / peer.cpuS, 2),
  };
}

function round(value, digits) {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function format(value) {
  return typeof value === 'number' ? String(round(value, 4)) : String(value);
}

function table(rows) {
  const lines = [
    '| case | peer | wall s (T, peer) | T/peer wall | CPU s (T, peer) | T/peer CPU | samples/s/process (T, peer) | peak MB (T, peer) | score (T, peer) | load (T, peer) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const t = row.topdown;
    const p = row.peerResult;
    lines.push(
      `| ${row.name} | ${row.peer} | ${t.wallS}, ${p.wallS} | ${row.ratio} | ${t.cpuS}, ${p.cpuS} | ${row.cpuRatio} | ${t.samplesPerSecondPerProcess} (×${t.processes}), ${p.samplesPerSecondPerProcess} | ${t.peakMb}, ${p.peakMb} | ${t.score}, ${p.score} | ${t.load}, ${p.load} |`,
    );
  }
  lines.push(
    '',
    '| case | samples per CPU-s of the training process (T, peer) | T/peer | largest process peak MB (T, peer) |',
    '| --- | ---: | ---: | ---: |',
  );
  for (const row of rows) {
    const t = row.topdown;
    const p = row.peerResult;
    lines.push(
      `| ${row.name} | ${t.samplesPerCpuSecond}, ${p.samplesPerCpuSecond} | ${row.processRatio} | ${t.processPeakMb}, ${p.processPeakMb} |`,
    );
  }
  for (const row of rows.filter((each) => each.topdown.candidates && each.peerResult.candidates)) {
    lines.push('', `| ${row.name}: candidate | mean score (T, peer) |`, '| --- | ---: |');
    for (const [name, score] of Object.entries(row.topdown.candidates))
      lines.push(`| ${name} | ${score}, ${row.peerResult.candidates[name] ?? '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}
