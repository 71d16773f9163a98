/**
 * Stopping a job: cancel over IPC (as the VS Code host does) and SIGKILL of the orchestrating process.
 * Both leave the run store readable and say what happened to each run.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import type { JobEvent } from '../../src/protocol/host';
import {
  binaryProject,
  forkCli,
  requireBuild,
  runCli,
  tempDir,
  writeBinaryCsv,
  writeProject,
} from '../helpers/cli';

before(requireBuild);

function slowProject(prefix: string): string {
  const dir = writeProject(
    tempDir(prefix),
    binaryProject([
      { name: 'slow-a', model: 'mlp', layers: [16], epochs: 400, batchSize: 2 },
      { name: 'slow-b', model: 'mlp', layers: [16], epochs: 400, batchSize: 2 },
    ]),
  );
  writeBinaryCsv(join(dir, 'data', 'data.csv'), 60);
  return dir;
}

/** Resolves with the first event matching `predicate`, with every event seen so far. */
function waitForEvent(
  child: ReturnType<typeof forkCli>,
  predicate: (event: JobEvent) => boolean,
  events: JobEvent[],
): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no matching event; saw ${events.map((e) => e.type).join(', ')}`)),
      60000,
    );
    child.on('message', (event: JobEvent) => {
      events.push(event);
      if (predicate(event)) {
        clearTimeout(timer);
        resolve(event);
      }
    });
  });
}

describe('cancelling a job', () => {
  it('stops at the next batch, records the runs as cancelled and says job/cancelled', async () => {
    const dir = slowProject('cancel');
    const child = forkCli(['evaluate', dir, '--workers', '1', '--json']);
    const events: JobEvent[] = [];
    const hello = await waitForEvent(child, (event) => event.type === 'hello', events);
    assert.equal(hello.type === 'hello' && hello.step, 'evaluate');
    await waitForEvent(child, (event) => event.type === 'run/epoch', events);
    child.send({ type: 'job/cancel' });
    await waitForEvent(child, (event) => event.type === 'job/cancelled', events);
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 130);
    const listed = await runCli(['runs', dir, '--json']);
    const runs = (listed.json as { runs: Array<{ candidate: string; status: string }> }).runs;
    assert.deepEqual(runs.map((run) => run.status).sort(), ['cancelled', 'cancelled']);
  });
});

describe('a killed job', () => {
  it('leaves the store readable and its running runs show as interrupted', async () => {
    const dir = slowProject('kill');
    const child = forkCli(['evaluate', dir, '--workers', '1', '--json']);
    const events: JobEvent[] = [];
    await waitForEvent(child, (event) => event.type === 'run/epoch', events);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const listed = await runCli(['runs', dir, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const runs = (listed.json as { runs: Array<{ status: string }> }).runs;
    assert.equal(runs.length, 2);
    assert.deepEqual(
      runs.map((run) => run.status),
      ['interrupted', 'interrupted'],
    );
  });
});
