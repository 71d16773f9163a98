/**
 * The report's sections as blocks, in reading order: a summary, problem, data, baseline, spot-check (with
 * the fold-score box plot and learning curves), tuning, final result, how to reproduce, dataset credit.
 * A step that has not run gets a "not run yet" note naming the command that runs it.
 */
import { code, emphasis, strong, type Block, type Inline } from './blocks';
import { formatDifference, formatMeanStd, formatValue, plural } from './format';
import { finalBlocks, spotCheckBlocks, tuningBlocks } from './document-results';
import { classSampleBlocks, confusedPairBlocks } from './document-images';
import { textProfileBlocks, textResultBlocks } from './document-text';
import { notRunYet, REPORT_SECTIONS } from './sections';
import { baselineName, baselineRule } from '../../shared/baseline';
import { metricLabel } from '../../shared/format';
import type { ReportData } from './types';

/** Every block of the report, in order. */
export function reportBlocks(data: ReportData): Block[] {
  return [
    ...headerBlocks(data),
    ...problemBlocks(data),
    ...dataBlocks(data),
    ...baselineBlocks(data),
    ...spotCheckBlocks(data),
    ...tuningBlocks(data),
    ...finalBlocks(data),
    ...confusedPairBlocks(data),
    ...textResultBlocks(data),
    ...reproduceBlocks(data),
    ...creditBlocks(data),
  ];
}

function headerBlocks(data: ReportData): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: data.title }];
  if (data.description) blocks.push({ kind: 'paragraph', content: data.description });
  const summary = summaryItems(data);
  if (summary.length > 0) blocks.push({ kind: 'list', items: summary });
  blocks.push({
    kind: 'paragraph',
    content: emphasis(`Written by Topdown ${data.topdownVersion} on ${data.generatedAt.slice(0, 10)}.`),
  });
  if (data.chartsUnavailable) {
    blocks.push({ kind: 'note', content: `This report has no chart images: ${data.chartsUnavailable}` });
  }
  return blocks;
}

/** The headline numbers: the baseline, the best candidate, the final model on the holdout. */
function summaryItems(data: ReportData): Inline[] {
  const metric = metricLabel(data.problem.metric);
  const items: Inline[] = [];
  if (data.baseline) {
    items.push([
      'Number to beat (baseline): ',
      strong(formatMeanStd(data.baseline.mean, data.baseline.std)),
      ` ${metric}`,
    ]);
  }
  const best = data.spotCheck?.candidates.find((candidate) => candidate.name === data.spotCheck?.best);
  if (best) {
    items.push([
      'Best spot-checked candidate: ',
      code(best.name),
      ' at ',
      strong(formatMeanStd(best.mean, best.std)),
      ` ${metric}` +
        (best.versusBaseline !== undefined ? ` (${formatDifference(best.versusBaseline)} vs baseline)` : ''),
    ]);
  }
  const final = data.final;
  if (final?.holdout) {
    const baseline = final.baseline;
    items.push([
      'Final model ',
      code(final.candidate),
      ' on the holdout: ',
      strong(formatValue(final.holdout.score)),
      ` ${metric}` +
        (baseline?.holdout !== undefined
          ? ` (the baseline, ${baseline.name}, on the same holdout: ${formatValue(baseline.holdout)})`
          : ''),
    ]);
  }
  // Said at the top too, so nobody reads the headline numbers without it.
  if (final?.notReliablyBetter) {
    items.push([strong('Not reliably better than the baseline:'), ` ${final.notReliablyBetter}`]);
  }
  return items;
}

function problemBlocks(data: ReportData): Block[] {
  const problem = data.problem;
  const rows: string[][] = [
    ['Data', problem.data],
    ['Target', problem.target],
    ['Task', problem.task],
    ['Metric', `${metricLabel(problem.metric)} (${problem.higherIsBetter ? 'higher' : 'lower'} is better)`],
  ];
  if (problem.positiveClass !== undefined) rows.push(['Positive class', problem.positiveClass]);
  if (problem.rows !== undefined && problem.columns !== undefined) {
    const scope = problem.holdoutFraction ? ' (outside the holdout)' : '';
    rows.push(['Size', `${problem.rows} rows × ${problem.columns} columns${scope}`]);
  }
  rows.push(['Validation', problem.validation]);
  rows.push([
    'Holdout',
    problem.holdoutFraction
      ? `${Math.round(problem.holdoutFraction * 100)}% of rows, kept for the final evaluation only`
      : 'none',
  ]);
  return [
    { kind: 'heading', level: 2, text: REPORT_SECTIONS.problem },
    { kind: 'table', header: ['', 'Value'], rows, numeric: [false, false] },
  ];
}

function dataBlocks(data: ReportData): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: REPORT_SECTIONS.data }];
  const profile = data.profile;
  if (!profile) return [...blocks, notRunYet('topdown define', 'profile the data')];
  const types = Object.entries(profile.columnTypes)
    .filter(([, count]) => count > 0)
    .map(([type, count]) => `${count} ${type}`)
    .join(', ');
  blocks.push({
    kind: 'paragraph',
    content: `${plural(profile.rows, 'row')} profiled (outside the holdout), ${plural(profile.columns, 'column')} (${types || 'no typed columns'}), of which ${plural(profile.features, 'feature')} feed the models. ${plural(profile.missingCells, 'missing cell')}.`,
  });
  if (profile.classes && profile.classes.length > 0) {
    const total = profile.classes.reduce((sum, entry) => sum + entry.count, 0);
    blocks.push({
      kind: 'table',
      header: ['Class', 'Rows', 'Share'],
      rows: profile.classes.map((entry) => [
        entry.value,
        String(entry.count),
        total > 0 ? `${((100 * entry.count) / total).toFixed(1)}%` : '—',
      ]),
      numeric: [false, true, true],
    });
  }
  blocks.push(...classSampleBlocks(data));
  blocks.push(...textProfileBlocks(data));
  const spread = profile.targetDistribution;
  if (spread) {
    blocks.push({
      kind: 'paragraph',
      content: `Target ${data.problem.target}: mean ${formatValue(spread.mean)} ± ${formatValue(spread.std)}, from ${formatValue(spread.min)} to ${formatValue(spread.max)}.`,
    });
  }
  if (profile.topCorrelations.length > 0) {
    blocks.push({
      kind: 'paragraph',
      content: [
        'Features most correlated with the target: ',
        ...profile.topCorrelations.flatMap((entry, index) => [
          index > 0 ? ', ' : '',
          code(entry.column),
          ` (${entry.correlation >= 0 ? '+' : '−'}${Math.abs(entry.correlation).toFixed(2)})`,
        ]),
        '.',
      ],
    });
  }
  if (profile.warnings.length > 0) {
    blocks.push({ kind: 'paragraph', content: strong('Warnings') });
    blocks.push({ kind: 'list', items: profile.warnings });
  } else {
    blocks.push({ kind: 'paragraph', content: 'The profile raised no warnings.' });
  }
  return blocks;
}

function baselineBlocks(data: ReportData): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: REPORT_SECTIONS.baseline }];
  const baseline = data.baseline;
  if (!baseline) return [...blocks, notRunYet('topdown define', 'score the baseline')];
  const what = `${baselineName(data.problem.task)}: ${baselineRule(data.problem.task)}`;
  blocks.push({
    kind: 'paragraph',
    content: [
      'The number to beat is ',
      strong(`${formatMeanStd(baseline.mean, baseline.std)} ${metricLabel(data.problem.metric)}`),
      `: the baseline model (${what}) scored on the same folds as every candidate.`,
      baseline.scores
        ? ` Fold scores: ${baseline.scores.map((score) => formatValue(score)).join(', ')}.`
        : '',
    ],
  });
  return blocks;
}

function reproduceBlocks(data: ReportData): Block[] {
  const reproduce = data.reproduce;
  const facts: Inline[] = [];
  if (reproduce.topdownVersion) facts.push(['Topdown version: ', code(reproduce.topdownVersion)]);
  if (reproduce.seed !== undefined) facts.push(['Seed: ', code(String(reproduce.seed))]);
  if (reproduce.dataHash) facts.push(['Data SHA-256: ', code(reproduce.dataHash)]);
  if (reproduce.foldHash) facts.push(['Fold assignment SHA-256: ', code(reproduce.foldHash)]);
  if (reproduce.backend) facts.push(['Backend: ', code(reproduce.backend)]);
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: REPORT_SECTIONS.reproduce },
    {
      kind: 'paragraph',
      content: [
        'In the project folder, with the same ',
        code('topdown.json'),
        ' and data file (check its SHA-256), run:',
      ],
    },
    { kind: 'code', language: 'sh', text: reproduce.commands.join('\n') },
  ];
  if (facts.length > 0) blocks.push({ kind: 'list', items: facts });
  return blocks;
}

function creditBlocks(data: ReportData): Block[] {
  if (!data.credit) return [];
  return [
    { kind: 'heading', level: 2, text: REPORT_SECTIONS.credit },
    { kind: 'markdown', text: data.credit },
  ];
}
