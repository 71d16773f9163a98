/**
 * Where each candidate of a spot-check stands, in words a person reads first: the order by score, the best,
 * the verdict ("best", "as good as the best", "worse than the best", "no better than the baseline") with the
 * p-values behind it for a tooltip, the number to beat, the chart's legend and the next step.
 */
import type { EvaluateCandidate, EvaluateSnapshot } from '../../src/protocol/panels';
import { FEW_FOLDS, untestedGapWords } from '../../src/shared/verdicts';
import { button } from '../shared/controls';
import { formatNumber, h, meanStd } from '../shared/dom';
import { metricLabel } from '../../src/shared/format';

/** The candidates best first in the metric's direction; those without a score last, in their order. */
export function rankedCandidates(snapshot: EvaluateSnapshot): EvaluateCandidate[] {
  const sign = snapshot.higherIsBetter ? 1 : -1;
  const score = (candidate: EvaluateCandidate): number => meanStd(candidate.scores).mean;
  return snapshot.candidates
    .map((candidate, index) => ({ candidate, index, mean: score(candidate) }))
    .sort((a, b) => {
      const aScored = Number.isFinite(a.mean);
      const bScored = Number.isFinite(b.mean);
      if (aScored !== bScored) return aScored ? -1 : 1;
      return (aScored ? sign * (b.mean - a.mean) : 0) || a.index - b.index;
    })
    .map((entry) => entry.candidate);
}

/** The best candidate: the significance test's when it ran, else the best completed mean. */
export function bestCandidate(snapshot: EvaluateSnapshot): EvaluateCandidate | undefined {
  const named = snapshot.verdicts?.best;
  if (named !== undefined) return snapshot.candidates.find((candidate) => candidate.candidate === named);
  const [first] = rankedCandidates(snapshot).filter((candidate) => candidate.status === 'completed');
  return first && Number.isFinite(meanStd(first.scores).mean) ? first : undefined;
}

function pText(p: number): string {
  return Number.isFinite(p) ? (p < 0.001 ? 'p < 0.001' : `p = ${formatNumber(p)}`) : 'no test';
}

/** A verdict in words, and the test behind it for the tooltip; empty before the test has run. */
export function verdictOf(snapshot: EvaluateSnapshot, name: string): { words: string; detail: string } {
  const verdicts = snapshot.verdicts;
  const verdict = verdicts?.verdicts.find((item) => item.candidate === name);
  if (!verdicts || !verdict) return { words: '', detail: '' };
  const isBest = verdicts.best === name;
  const folds = snapshot.candidates.find((candidate) => candidate.candidate === name)?.scores.length ?? 0;
  const rank = isBest
    ? 'best'
    : verdict.indistinguishableFromBest
      ? untestedGapWords(folds, 'as good as the best')
      : 'worse than the best';
  // Over fewer folds than the test can use, a gap to the baseline it did not find is said as such.
  const notBetter =
    folds < FEW_FOLDS ? `${folds} folds cannot separate it from the baseline` : 'no better than the baseline';
  const words = verdict.betterThanBaseline ? rank : isBest ? `best, but ${notBetter}` : notBetter;
  const versusBaseline = `${verdict.betterThanBaseline ? 'better than' : 'not better than'} the baseline: ${pText(verdict.pBaseline)}`;
  const versusBest = isBest ? '' : `; against ${verdicts.best}: ${pText(verdict.pBest)}`;
  return {
    words,
    detail: `${versusBaseline}${versusBest} (${verdicts.test}, alpha ${verdicts.alpha})`,
  };
}

/** The number to beat, large: the baseline's mean under the same folds. */
export function numberToBeat(snapshot: EvaluateSnapshot): HTMLElement {
  if (!snapshot.baseline) return h('p', { class: 'baseline' }, 'No baseline in this session.');
  const { mean, std } = snapshot.baseline;
  return h(
    'div',
    { class: 'baseline number-to-beat', 'data-baseline': mean },
    h('span', { class: 'label' }, 'Number to beat'),
    h('span', { class: 'figure', 'data-role': 'number-to-beat' }, formatNumber(mean)),
    h(
      'span',
      { class: 'facts' },
      `± ${formatNumber(std)} · the baseline's ${metricLabel(snapshot.metric)}${snapshot.baselineName ? ` (${snapshot.baselineName})` : ''} on the same folds (${snapshot.higherIsBetter ? 'higher' : 'lower'} is better)`,
    ),
  );
}

/** What the box plot's marks mean. */
export function chartLegend(): HTMLElement {
  const item = (swatch: string, text: string) =>
    h('li', {}, h('span', { class: `swatch swatch-${swatch}`, 'aria-hidden': 'true' }), text);
  return h(
    'ul',
    { class: 'legend', 'data-role': 'legend' },
    item('box', 'box: middle half of the fold scores, line at the median, one colour per candidate'),
    item('dot', 'dots: one per fold'),
    item('mean', 'small circle: the mean'),
    item('best', '★ and green: the best candidate'),
    item('baseline', 'dashed line: the baseline (number to beat)'),
  );
}

/** "Next: Improve <best>…": the step that tunes the best candidate, asked for through the host. */
export function nextStep(
  best: EvaluateCandidate | undefined,
  improve: (candidate: string) => void,
): HTMLElement | null {
  if (!best) return null;
  return h(
    'div',
    { class: 'next-step', 'data-role': 'next-step' },
    button(`Next: Improve ${best.candidate}…`, () => improve(best.candidate), {
      name: 'improve-best',
      title: `Step 4: tune ${best.candidate} and test whether each gain is real`,
    }),
  );
}
