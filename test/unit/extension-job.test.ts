import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, type JobOptions } from '../../src/extension/jobs/job';
import type { JobEvent } from '../../src/protocol/host';

// Fake `dist/cli.js` scripts: each plays one way a job can go, over the real IPC channel.
const HELLO = `process.send({ type: 'hello', protocolVersion: 1, step: process.argv[2], projectDir: process.argv[3], pid: process.pid });`;
const SCRIPTS: Record<string, string> = {
  completes: `
    require('fs').writeFileSync('argv.json', JSON.stringify(process.argv.slice(2)));
    ${HELLO}
    process.send({ type: 'job/backend', backend: { name: 'wasm', reasons: [] } });
    process.send({ type: 'run/epoch', runId: 'r1', candidate: 'mlp', fold: 0, epoch: 0, epochs: 2, logs: { loss: 0.5 } });
    process.send({ type: 'job/progress', done: 1, total: 2, message: 'fold 1' });
    process.send({ type: 'job/completed', result: { session: 's1' } }, () => process.exit(0));`,
  fails: `
    ${HELLO}
    process.send({ type: 'job/failed', error: { code: 'CSV_RAGGED_ROW', message: 'Row 7 has 3 cells, the header 4.', file: 'data/x.csv', row: 7 } }, () => process.exit(1));`,
  mismatches: `
    process.send({ type: 'hello', protocolVersion: 99, step: 'evaluate', projectDir: '.', pid: process.pid });
    setInterval(() => {}, 1000);`,
  crashes: `
    ${HELLO}
    process.stderr.write('TypeError: boom\\n');
    process.exit(3);`,
  cancels: `
    ${HELLO}
    process.on('message', (message) => {
      if (message.type === 'job/cancel') process.send({ type: 'job/cancelled' }, () => process.exit(0));
    });
    setInterval(() => {}, 1000);`,
  ignoresCancel: `
    ${HELLO}
    process.on('message', () => {});
    setInterval(() => {}, 1000);`,
};

let folder: string;

function start(script: string, overrides: Partial<JobOptions> = {}): { job: Job; events: JobEvent[] } {
  const events: JobEvent[] = [];
  const job = new Job({
    cliPath: join(folder, `${script}.js`),
    step: 'evaluate',
    projectDir: folder,
    flags: ['--quick'],
    node: { execPath: process.execPath, env: {}, source: 'path', reason: 'test', backend: 'wasm' },
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { job, events };
}

describe('Job', () => {
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'topdown-job-'));
    for (const [name, body] of Object.entries(SCRIPTS)) writeFileSync(join(folder, `${name}.js`), body);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('forks the CLI with the step, the project, --ipc, the backend and the flags, and forwards events in order', async () => {
    const { job, events } = start('completes');
    const outcome = await job.outcome;
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(outcome.status === 'completed' && outcome.result, { session: 's1' });
    assert.equal(outcome.exitCode, 0);
    assert.deepEqual(
      events.map((event) => event.type),
      ['hello', 'job/backend', 'run/epoch', 'job/progress', 'job/completed'],
    );
    const argv = JSON.parse(readFileSync(join(folder, 'argv.json'), 'utf8'));
    assert.deepEqual(argv, ['evaluate', folder, '--ipc', '--backend', 'wasm', '--quick']);
  });

  it('reports the error a job sent when it failed, with its file and row', async () => {
    const outcome = await start('fails').job.outcome;
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.status === 'failed' && outcome.error.code, 'CSV_RAGGED_ROW');
    assert.equal(outcome.status === 'failed' && outcome.error.row, 7);
  });

  it('refuses a runner that speaks another protocol version, stops it, and says both versions', async () => {
    const { job, events } = start('mismatches');
    const outcome = await job.outcome;
    assert.equal(outcome.status, 'failed');
    if (outcome.status !== 'failed') return;
    assert.equal(outcome.error.code, 'PROTOCOL_MISMATCH');
    assert.match(outcome.error.message, /protocol 99.*protocol 1/);
    assert.deepEqual(events, []);
  });

  it('turns a process that dies without a result into RUNNER_CRASHED with its exit code and last stderr', async () => {
    const outcome = await start('crashes').job.outcome;
    assert.equal(outcome.status, 'failed');
    if (outcome.status !== 'failed') return;
    assert.equal(outcome.error.code, 'RUNNER_CRASHED');
    assert.equal(outcome.exitCode, 3);
    assert.match(outcome.error.message, /exited with code 3.*TypeError: boom/);
  });

  it('asks the job to cancel over IPC and reports it cancelled when the job stops', async () => {
    const { job, events } = start('cancels');
    await new Promise((resolve) => setTimeout(resolve, 300));
    job.dispose();
    const outcome = await job.outcome;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.exitCode, 0);
    assert.equal(events.at(-1)?.type, 'job/cancelled');
  });

  it('kills a job that ignores the cancel request once the grace period is over', async () => {
    const { job } = start('ignoresCancel', { graceMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    job.cancel();
    const outcome = await job.outcome;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.exitCode, null);
  });

  it('fails with RUNNER_CRASHED when the runtime cannot start', async () => {
    const { job } = start('completes', {
      node: {
        execPath: join(folder, 'no-such-node'),
        env: {},
        source: 'setting',
        reason: 'test',
        backend: 'cpu',
      },
    });
    const outcome = await job.outcome;
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.error.message : '', /could not start/);
  });
});
