/** The result sections of the report: spot-check (with its charts), tuning and the final model. */
import { code, strong, type Block, type Inline, type Span } from './blocks';
import { formatPValue, metricLabel } from '../../shared/format';
import { notRunYet, REPORT_SECTIONS } from './sections';
import {
  formatDifference,
  formatDuration,
  formatMeanStd,
  formatParameter,
  formatValue,
  plural,
} from './format';
import { scoredCandidates, type ReportCandidate, type ReportData, type ReportTunedCandidate } from './types';

/** A candidate's own pipeline as its op names in order ("tokenize → sequences"), "none" when empty. */
function pipelineWords(ops: readonly string[]): string {
  return ops.length > 0 ? ops.join(' → ') : 'none';
}

function candidateRow(candidate: ReportCandidate): string[] {
  const score =
    candidate.status === 'completed' || candidate.mean !== undefined
      ? formatMeanStd(candidate.mean, candidate.std)
      : candidate.status;
  const verdict = candidate.error ? `${candidate.status}: ${candidate.error}` : (candidate.verdict ?? '—');
  return [
    candidate.name,
    candidate.pipeline
      ? `${candidate.model} (own pipeline: ${pipelineWords(candidate.pipeline)})`
      : candidate.model,
    score,
    formatDifference(candidate.versusBaseline),
    verdict,
    formatDuration(candidate.durationMs),
  ];
}

function candidateTable(candidates: readonly ReportCandidate[], metric: string): Block {
  return {
    kind: 'table',
    header: ['Candidate', 'Model', `${metric} (mean ± std)`, 'vs baseline', 'Verdict', 'Time'],
    rows: candidates.map(candidateRow),
    numeric: [false, false, true, true, false, true],
  };
}

/**
 * An ensemble's row: its score, then step 4's comparison with the best single model (the question an ensemble
 * answers), as `topdown improve` and the Improve panel give it; the baseline's difference stays beside the score.
 */
function ensembleRow(ensemble: ReportCandidate): string[] {
  const [name, , score, versusBaseline, , time] = candidateRow(ensemble);
  const single = ensemble.versusBestSingle;
  const verdict = ensemble.error
    ? `${ensemble.status}: ${ensemble.error}`
    : single
      ? `${single.verdict}${single.pValue === null ? '' : ` (${formatPValue(single.pValue)})`}`
      : 'not compared with the best single model';
  return [
    name,
    score,
    versusBaseline,
    single ? `${single.name} ${formatMeanStd(single.mean, single.std)}` : '—',
    formatDifference(single?.meanDifference),
    verdict,
    time,
  ];
}

function ensembleTable(ensembles: readonly ReportCandidate[], metric: string): Block {
  return {
    kind: 'table',
    header: [
      'Ensemble',
      `${metric} (mean ± std)`,
      'vs baseline',
      'Best single model',
      'vs best single',
      'Verdict',
      'Time',
    ],
    rows: ensembles.map(ensembleRow),
    numeric: [false, true, true, false, true, false, true],
  };
}

/** Spot-check table, fold-score box plot and the learning curves of the best neural candidate. */
export function spotCheckBlocks(data: ReportData): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: REPORT_SECTIONS.spotCheck }];
  const spotCheck = data.spotCheck;
  if (!spotCheck) {
    return [
      ...blocks,
      notRunYet('topdown evaluate', 'spot-check the candidates'),
      { kind: 'heading', level: 3, text: REPORT_SECTIONS.learningCurves },
      notRunYet('topdown evaluate', 'train the neural candidates'),
    ];
  }
  blocks.push({
    kind: 'paragraph',
    content: `Every candidate was scored on the same ${plural(spotCheck.folds, 'fold')} (session ${spotCheck.session}). Verdicts come from the corrected resampled t-test (Nadeau & Bengio) over the shared folds.`,
  });
  blocks.push(candidateTable(spotCheck.candidates, metricLabel(data.problem.metric)));
  // A session whose candidates all failed or were cancelled has no fold scores to draw.
  if (scoredCandidates(data).length > 0) {
    blocks.push(
      chartBlock(
        'fold-scores',
        `${metricLabel(data.problem.metric)} per fold for each candidate, with the baseline`,
      ),
    );
  }
  blocks.push({ kind: 'heading', level: 3, text: REPORT_SECTIONS.learningCurves });
  const curves = data.learningCurves;
  if (!curves) {
    blocks.push({
      kind: 'note',
      content: 'No neural candidate with learning curves completed in this session.',
    });
    return [...blocks, ...adviceBlocks(spotCheck.candidates)];
  }
  const lastTrain = curves.train[curves.train.length - 1];
  const lastValidation = curves.validation?.[curves.validation.length - 1];
  blocks.push({
    kind: 'paragraph',
    content: [
      `Mean ${curves.key} per epoch across ${plural(curves.folds, 'fold')} of `,
      code(curves.candidate),
      ` (${curves.model}), the best neural candidate. After ${plural(curves.train.length, 'epoch')}: training ${formatValue(lastTrain)}`,
      lastValidation !== undefined ? `, validation ${formatValue(lastValidation)}.` : '.',
    ],
  });
  blocks.push(
    chartBlock(
      'learning-curves',
      `Mean training and validation ${curves.key} of ${curves.candidate} per epoch`,
    ),
  );
  return [...blocks, ...adviceBlocks(spotCheck.candidates)];
}

/** The learning-curve advisor's words for each network: what its curves show, and the next experiment. */
function adviceBlocks(candidates: readonly ReportCandidate[]): Block[] {
  const advised = candidates.filter((candidate) => candidate.advice);
  if (advised.length === 0) return [];
  return [
    {
      kind: 'paragraph',
      content: 'What each network’s learning curves say, and the experiment to try next:',
    },
    {
      kind: 'list',
      items: advised.map((candidate): Inline => {
        const advice = candidate.advice!;
        return [
          strong(candidate.name),
          ` (${advice.diagnosis.replace(/-/g, ' ')}): ${advice.message} Next: ${advice.nextStep}`,
        ];
      }),
    },
  ];
}

function chartBlock(chart: 'fold-scores' | 'learning-curves', alt: string): Block {
  return { kind: 'image', chart, alt };
}

function tunedBlocks(tuned: ReportTunedCandidate, metric: string): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 3, text: `Tuning ${tuned.candidate}` }];
  const untunedMean = tuned.untuned?.mean;
  const rows = tuned.trials.map((trial) => [
    trial.name + (trial.name === tuned.best ? ' (best)' : ''),
    ...tuned.parameters.map((parameter) =>
      parameter in trial.params ? formatParameter(trial.params[parameter]) : '—',
    ),
    trial.mean !== undefined ? formatMeanStd(trial.mean, trial.std) : trial.status,
    untunedMean !== undefined && trial.mean !== undefined ? formatDifference(trial.mean - untunedMean) : '—',
  ]);
  if (tuned.untuned) {
    rows.unshift([
      `${tuned.candidate} (untuned)`,
      ...tuned.parameters.map(() => 'as configured'),
      formatMeanStd(tuned.untuned.mean, tuned.untuned.std),
      formatDifference(0),
    ]);
  }
  blocks.push({
    kind: 'table',
    header: ['Configuration', ...tuned.parameters, `${metric} (mean ± std)`, 'vs untuned'],
    rows,
    numeric: [false, ...tuned.parameters.map(() => false), true, true],
  });
  const best = tuned.trials.find((trial) => trial.name === tuned.best);
  const comparison: Inline = [
    'Untuned ',
    strong(formatMeanStd(tuned.untuned?.mean, tuned.untuned?.std)),
    ' vs best tuned ',
    best ? code(best.name) : 'trial',
    ' ',
    strong(formatMeanStd(best?.mean, best?.std)),
    '.',
  ];
  blocks.push({ kind: 'paragraph', content: comparison });
  if (tuned.decision) {
    blocks.push({
      kind: 'paragraph',
      content: [
        strong(`Decision: keep the ${tuned.decision.keep} configuration.`),
        ' ',
        tuned.decision.message,
      ],
    });
  }
  return blocks;
}

/** Tuning trials per candidate (untuned vs best tuned and the keep/replace decision) and ensembles. */
export function tuningBlocks(data: ReportData): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: REPORT_SECTIONS.tuning }];
  const tuning = data.tuning;
  if (!tuning) return [...blocks, notRunYet('topdown improve', 'tune the best candidates and try ensembles')];
  const trials = tuning.candidates.reduce((sum, tuned) => sum + tuned.trials.length, 0);
  blocks.push({
    kind: 'paragraph',
    content: `${plural(trials, 'configuration')} tried${tuning.method ? ` by ${tuning.method} search` : ''} on the same folds as the spot-check (session ${tuning.session}). The untuned candidate stays in the comparison: a tuned configuration is kept only when it beats it clearly.`,
  });
  for (const tuned of tuning.candidates) blocks.push(...tunedBlocks(tuned, metricLabel(data.problem.metric)));
  if (tuning.ensembles.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: 'Ensembles' });
    blocks.push(ensembleTable(tuning.ensembles, metricLabel(data.problem.metric)));
    if (tuning.versusBestSingle) blocks.push({ kind: 'list', items: tuning.versusBestSingle });
  }
  if (tuning.repeats && tuning.repeats.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: 'Run-to-run noise' });
    blocks.push({ kind: 'list', items: tuning.repeats });
  }
  return blocks;
}

/** `a`, `a` and `b`, `a`, `b` and `c`: names in code, joined as a sentence. */
function listOfCode(names: readonly string[]): Array<string | Span> {
  return names.flatMap((name, index) => [
    ...(index === 0 ? [] : [index === names.length - 1 ? ' and ' : ', ']),
    code(name),
  ]);
}

/** The final model: holdout score beside the cross-validation estimate, and where the bundle is. */
export function finalBlocks(data: ReportData): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: REPORT_SECTIONS.final }];
  const final = data.final;
  if (!final)
    return [...blocks, notRunYet('topdown present', 'fit the final model and score it on the holdout')];
  const metric = metricLabel(data.problem.metric);
  blocks.push({
    kind: 'paragraph',
    content: [
      'The final model is ',
      code(final.candidate),
      final.ensemble
        ? [
            `, an ensemble (${final.ensemble.method === 'vote' ? 'majority vote' : 'average of predictions'}) of `,
            ...listOfCode(final.ensemble.members),
            ', each refitted on every row outside the holdout',
          ]
        : ', refitted on every row outside the holdout',
      final.bundle ? [' and saved in ', code(final.bundle)].flat() : [],
      '.',
    ].flat(),
  });
  const folds = data.spotCheck?.folds;
  const rows: string[][] = [
    [
      `Cross-validation${folds ? ` (${plural(folds, 'fold')})` : ''}`,
      formatMeanStd(final.crossValidation?.mean, final.crossValidation?.std),
    ],
  ];
  if (final.holdout) {
    rows.push([
      `Holdout${final.holdout.size !== undefined ? ` (${plural(final.holdout.size, 'row')})` : ''}`,
      formatValue(final.holdout.score),
    ]);
  }
  if (final.baseline?.holdout !== undefined) {
    rows.push([`Baseline (${final.baseline.name}) on the same holdout`, formatValue(final.baseline.holdout)]);
  }
  blocks.push({ kind: 'table', header: ['Estimate', metric], rows, numeric: [false, true] });
  if (final.notReliablyBetter) {
    blocks.push({
      kind: 'note',
      content: [strong('Not reliably better than the baseline.'), ' ', final.notReliablyBetter],
    });
  }
  if (!final.holdout) {
    blocks.push({
      kind: 'note',
      content: [
        'No holdout: the cross-validation estimate is the only estimate. Set ',
        code('problem.holdout'),
        ' in topdown.json to keep rows aside for a final check.',
      ],
    });
  } else {
    const others = Object.entries(final.holdout.metrics);
    if (others.length > 0) {
      blocks.push({
        kind: 'table',
        header: ['Holdout metric', 'Value'],
        rows: others.map(([name, value]) => [metricLabel(name), formatValue(value)]),
        numeric: [false, true],
      });
    }
  }
  return blocks;
}
