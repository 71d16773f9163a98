import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkProjectFolder,
  defaultProjectName,
  guessTask,
  listTemplates,
  parseColumns,
  planNewProject,
  taskChoices,
} from '../../src/extension/wizard/plan';

const root = join(__dirname, '..', '..');

describe('listTemplates', () => {
  it('lists the shipped templates with the one-line description from their topdown.json', () => {
    const templates = listTemplates(join(root, 'templates'));
    const sonar = templates.find((template) => template.name === 'sonar');
    assert.ok(sonar, 'the sonar template ships');
    assert.match(sonar.description, /rocks from mines/);
    assert.ok(!sonar.description.includes('\n'));
  });

  it('skips folders without topdown.json and returns nothing for a missing folder', () => {
    const folder = mkdtempSync(join(tmpdir(), 'topdown-templates-'));
    mkdirSync(join(folder, 'b-real'));
    writeFileSync(join(folder, 'b-real', 'topdown.json'), '{ "description": "Real one.\\nSecond line." }');
    mkdirSync(join(folder, 'a-empty'));
    assert.deepEqual(listTemplates(folder), [{ name: 'b-real', description: 'Real one.' }]);
    assert.deepEqual(listTemplates(join(folder, 'nope')), []);
  });
});

describe('guessTask', () => {
  it('guesses binary for a two-valued text column', () => {
    assert.equal(guessTask({ name: 'Class', type: 'categorical', samples: ['M', 'R', 'M', 'R'] }), 'binary');
  });

  it('guesses multiclass for three text values', () => {
    assert.equal(
      guessTask({ name: 'species', type: 'categorical', samples: ['setosa', 'versicolor', 'virginica'] }),
      'multiclass',
    );
  });

  it('guesses binary for 0/1 integers and regression for fractional numbers', () => {
    assert.equal(guessTask({ name: 'Outcome', type: 'numeric', samples: ['0', '1', '1', '0'] }), 'binary');
    assert.equal(guessTask({ name: 'mpg', type: 'numeric', samples: ['18', '15.5', '24.0'] }), 'regression');
  });

  it('trusts the distinct count of the whole column over the few samples', () => {
    assert.equal(
      guessTask({ name: 'grade', type: 'categorical', distinct: 5, samples: ['A', 'B'] }),
      'multiclass',
    );
    assert.equal(
      guessTask({ name: 'price', type: 'numeric', distinct: 180, samples: ['1', '2', '3'] }),
      'regression',
    );
  });

  it('puts the guess first among the choices, each task once', () => {
    const choices = taskChoices('regression');
    assert.equal(choices[0], 'regression');
    assert.equal(new Set(choices).size, choices.length);
  });
});

describe('parseColumns', () => {
  it('reads the columns --json output', () => {
    const columns = parseColumns(
      '{"columns":[{"name":"a","type":"numeric","distinct":2,"samples":["1","2"]},{"name":"b","type":"text","samples":[]}]}',
    );
    assert.deepEqual(columns, [
      { name: 'a', type: 'numeric', distinct: 2, samples: ['1', '2'] },
      { name: 'b', type: 'text', samples: [] },
    ]);
  });

  it('refuses output of another shape and quotes it', () => {
    assert.throws(() => parseColumns('{"rows":[]}'), /Expected \{ columns.*"rows"/);
  });
});

describe('planNewProject', () => {
  it('scaffolds a template into parent/name and opens its README', () => {
    const plan = planNewProject({ kind: 'template', template: 'sonar' }, '/home/me', 'sonar');
    assert.deepEqual(plan, {
      args: ['new', 'sonar', join('/home/me', 'sonar')],
      projectDir: join('/home/me', 'sonar'),
      open: ['README.md'],
    });
  });

  it('passes the CSV and target, and the task only when the person changed the guess', () => {
    const source = {
      kind: 'csv',
      csvFile: '/data/My Sales.csv',
      target: 'revenue',
      task: 'regression',
    } as const;
    assert.deepEqual(planNewProject(source, '/p', 'sales', 'regression').args, [
      'new',
      '--from-csv',
      '/data/My Sales.csv',
      '--target',
      'revenue',
      join('/p', 'sales'),
    ]);
    assert.deepEqual(planNewProject(source, '/p', 'sales', 'binary').args.slice(5, 7), [
      '--task',
      'regression',
    ]);
  });

  it('proposes a project for an image folder with new --from-images, named after the folder', () => {
    const source = { kind: 'images', folder: '/data/Holiday Photos' } as const;
    assert.deepEqual(planNewProject(source, '/p', 'photos'), {
      args: ['new', '--from-images', '/data/Holiday Photos', join('/p', 'photos')],
      projectDir: join('/p', 'photos'),
      open: ['README.md'],
    });
    assert.equal(defaultProjectName(source), 'holiday-photos');
  });

  it('names the folder after the template or the CSV file', () => {
    assert.equal(defaultProjectName({ kind: 'template', template: 'auto-mpg' }), 'auto-mpg');
    assert.equal(
      defaultProjectName({ kind: 'csv', csvFile: '/x/My Sales 2024.csv', target: 'y' }),
      'my-sales-2024',
    );
  });
});

describe('checkProjectFolder', () => {
  const parent = mkdtempSync(join(tmpdir(), 'topdown-wizard-'));
  mkdirSync(join(parent, 'used'));
  writeFileSync(join(parent, 'used', 'file.txt'), 'x');
  mkdirSync(join(parent, 'empty'));

  it('accepts a new or empty folder', () => {
    assert.equal(checkProjectFolder(parent, 'fresh'), undefined);
    assert.equal(checkProjectFolder(parent, 'empty'), undefined);
  });

  it('refuses a folder that has files, naming it', () => {
    assert.match(checkProjectFolder(parent, 'used') ?? '', /used already exists and is not empty/);
  });

  it('refuses an empty name or one with path characters', () => {
    assert.ok(checkProjectFolder(parent, '  '));
    assert.ok(checkProjectFolder(parent, 'a/b'));
  });
});
