// The stand-in answers `require('vscode')`, so it is imported before any host module.
import { fake } from '../helpers/vscode';
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changeCsvChoice, csvSource, type CsvChoices } from '../../src/extension/wizard/csvChoices';
import { planNewProject, type ColumnInfo } from '../../src/extension/wizard/plan';

const column = (name: string, type: string, samples: string[]): ColumnInfo => ({
  name,
  type,
  distinct: 60,
  missing: 0,
  samples,
});

const opened = column('Opened', 'date', ['2001-01-01', '2001-01-02']);
const month = column('Month', 'date', ['1949-01-01', '1949-02-01']);
const passengers = column('Passengers', 'numeric', ['112', '118', '132.5']);

const choices: CsvChoices = {
  csvFile: '/data/airline.csv',
  columns: [opened, month, passengers],
  target: passengers,
  task: 'regression',
};

describe('New Project from a CSV: the time column of a series', () => {
  beforeEach(() => fake.reset());

  it('asks for the time column among the date columns when the task becomes time-series, and passes it on', async () => {
    const offered: string[][] = [];
    fake.pick = (items) => {
      offered.push(items.map((item) => item.label));
      return items.find((item) => item.label === (offered.length === 1 ? 'time-series' : 'Month'));
    };
    const changed = await changeCsvChoice(choices, 'task');
    assert.equal(changed?.task, 'time-series');
    assert.equal(changed?.timeColumn, 'Month');
    assert.deepEqual(offered[1], ['Opened', 'Month'], 'only date columns, in file order');
    const { source, guess } = csvSource(changed!);
    const args = planNewProject(source, '/p', 'airline', guess).args;
    assert.deepEqual(args.slice(args.indexOf('--time-column'), args.indexOf('--time-column') + 2), [
      '--time-column',
      'Month',
    ]);
  });

  it('drops the time column when the task changes to one without time', async () => {
    let picks = 0;
    fake.pick = (items) => items.find((item) => item.label === (picks++ === 0 ? 'regression' : ''));
    const changed = await changeCsvChoice({ ...choices, task: 'time-series', timeColumn: 'Month' }, 'task');
    assert.equal(changed?.task, 'regression');
    assert.equal(changed?.timeColumn, undefined);
    assert.equal(planNewProject(csvSource(changed!).source, '/p', 'x').args.includes('--time-column'), false);
    assert.equal(picks, 1, 'no time column asked');
  });

  it('says a series needs a date column when the CSV has none, and creates nothing', async () => {
    fake.pick = (items) => items.find((item) => item.label === 'time-series');
    const changed = await changeCsvChoice({ ...choices, columns: [passengers] }, 'task');
    assert.equal(changed, undefined);
    assert.match(fake.messages.at(-1)?.text ?? '', /needs a date column/);
  });
});
