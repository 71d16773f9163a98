/**
 * Text from a user's data is shown as text: the `new --from-csv` README escapes header and class text for
 * Markdown, and prediction CSVs neutralise text cells a spreadsheet would run as formulas.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownCode, markdownText } from '../../src/core/plan/readme';
import { formatCsv, neutraliseFormula } from '../../src/core/present/predict';
import { newFromCsv } from '../../src/runner/commands/new-from-csv';

describe('markdownText and markdownCode', () => {
  it('keeps HTML, emphasis, links and table pipes as text', () => {
    const shown = markdownText('<script>alert(1)</script> *x* [a](b) | `c`');
    assert.doesNotMatch(shown, /<script/);
    assert.match(shown, /&lt;script&gt;/);
    assert.equal(shown.includes('|'), true);
    assert.doesNotMatch(shown, /(^|[^\\])[|*[\]`]/, 'every markup character is escaped');
  });

  it('fences code with more backticks than the text holds', () => {
    assert.equal(markdownCode('plain'), '`plain`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('`x`'), '`` `x` ``');
  });

  it('keeps a line from starting a list, a heading or a new line', () => {
    assert.equal(markdownText('# title'), '\\# title');
    assert.equal(markdownText('- item'), '\\- item');
    assert.equal(markdownText('1. first'), '1\\. first');
    assert.equal(markdownText('a\nb'), 'a b');
  });
});

describe('new --from-csv README', () => {
  it('shows a hostile target column and file name as text, in one table row per choice', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'topdown-untrusted-'));
    const source = join(folder, 'data`$(x)`.csv');
    const target = '<script>alert(1)</script>|`t`';
    const lines = [`a,b,"${target}"`];
    for (let row = 0; row < 40; row++)
      lines.push(`${row},${(row * 7) % 11},${row % 2 ? '=cmd|x' : '@SUM(1)'}`);
    writeFileSync(source, `${lines.join('\n')}\n`);
    const dir = join(folder, 'project');
    await newFromCsv(source, dir, { target });
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    // Inside a code span HTML is text; everywhere else it must be escaped.
    assert.doesNotMatch(readme.replace(/(`+)[^`][\s\S]*?\1/g, ''), /<script/);
    assert.ok(readme.includes(markdownCode(target)), 'the target is one code span');
    const rows = readme.split('\n').filter((line) => line.startsWith('| '));
    for (const row of rows)
      assert.equal(row.replace(/\\\|/g, '').split('|').length, 5, `four unescaped pipes in: ${row}`);
  });
});

describe('prediction CSVs', () => {
  it('prefixes text cells starting with =, +, -, @ with a quote, and leaves numbers alone', () => {
    const csv = formatCsv({
      header: ['row', 'id', 'prediction', 'p_=x'],
      rows: [
        [2, '=HYPERLINK("http://x")', '@SUM(1)', 0.25],
        [3, '-1.5', '+cmd', -1.5],
        [4, '-x', 'plain', 1e-7],
      ],
    });
    assert.deepEqual(csv.trim().split('\n'), [
      'row,id,prediction,p_=x',
      `2,"'=HYPERLINK(""http://x"")",'@SUM(1),0.25`,
      "3,-1.5,'+cmd,-1.5",
      "4,'-x,plain,1e-7",
    ]);
  });

  it('neutralises tabs and carriage returns at the start too', () => {
    assert.equal(neutraliseFormula('\tcmd'), "'\tcmd");
    assert.equal(neutraliseFormula('2e-4'), '2e-4');
    assert.equal(neutraliseFormula('+3'), '+3');
  });
});
