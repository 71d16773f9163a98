/**
 * The README of a project planned from a CSV: what was decided and why, then the five steps to run, so the
 * person can change any choice knowingly.
 */
import type { ProjectPlan } from './plan';

/** Markdown for `<project>/README.md`. `source` is the CSV the person gave (shown as the origin of the data). */
export function planReadme(plan: ProjectPlan, source: string): string {
  const { config, choices } = plan;
  const { problem } = config;
  const lines: string[] = [
    `# ${markdownText(config.name ?? 'Project')}`,
    '',
    markdownText(config.description ?? ''),
    '',
    `Data: ${markdownCode(problem.data)}, copied from ${markdownCode(source)}. Target: ${markdownCode(problem.target)}. ` +
      `Task: ${markdownCode(problem.task)}. Metric: ${markdownCode(problem.metric ?? 'default')}.`,
    '',
    '## What was decided, and why',
    '',
    'Every choice below is a guess from the data alone. Each one is a line of `topdown.json`: change it there.',
    '',
    '| topic | choice | why |',
    '|---|---|---|',
    ...choices.map((choice) => `| ${cell(choice.topic)} | ${cell(choice.choice)} | ${cell(choice.why)} |`),
    '',
    '## The five steps',
    '',
    '1. **Define Problem**: `topdown define .` profiles every column and scores the baseline on the folds.',
    '   Check the target, the task and the missing values it reports; the baseline score is the number to beat.',
    '2. **Prepare Data**: `topdown prepare .` shows what the preparation pipeline does to the first fold.',
    '   Every op learns on the training part of each fold only, so nothing leaks from validation rows.',
    '3. **Evaluate Algorithms**: `topdown evaluate .` trains every candidate on the same folds and compares',
    '   them with the baseline. Look at the mean and the spread: a candidate is better only if the gap is',
    '   larger than the noise between folds. `--quick` gives a first look in a fraction of the time.',
    '4. **Improve Results**: `topdown improve .` tunes the candidates listed under `improve` and tries',
    '   the ensembles. Keep a tuned model only if it beats the untuned one by more than the fold noise.',
    '5. **Present Results**: `topdown present .` trains the best candidate on all the data',
    problem.holdout
      ? `   outside the holdout, scores it once on the ${Math.round(problem.holdout * 100)}% held out, and writes the report and predictions.`
      : '   and writes the model bundle and the report (there is no holdout, so no holdout predictions: the fold scores are the estimate; `topdown predict` scores new rows).',
    '',
    'In VS Code, the Topdown view runs the same steps with charts.',
    '',
  ];
  return `${lines.join('\n')}\n`.replace(/\n{3,}/g, '\n\n');
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return markdownText(text);
}

/**
 * Plain text from the data (a file or column name, a class label) shown as itself in Markdown: no markup, no
 * HTML (`<script>` stays text), no table cell or line broken by a `|` or a line break.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (character) => `\\${character}`)
    .replace(/^(\s*)([-=]|\d+[.)])/, (match) => match.replace(/([-=.)])$/, '\\$1'));
}

/** Text from the data as an inline code span (HTML in it stays text), fenced by more backticks than it holds. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = /^[`\s]|[`\s]$/.test(flat) ? ` ${flat} ` : flat;
  return `${fence}${padded}${fence}`;
}
