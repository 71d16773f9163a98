/**
 * The Improve panel's headline: the engine's decision in words (which configuration to keep, and why), and
 * "Use this…" only when the kept configuration differs from topdown.json.
 */
import type { ImproveResults, ParameterValue, Trial } from '../../src/protocol/panels';
import { keptTrial, trialLabel, trialName } from '../../src/shared/trials';
import { button } from '../shared/controls';
import { formatNumber, h } from '../shared/dom';
import { metricLabel } from '../../src/shared/format';

/** A parameter value as the panel writes it. */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'number') return formatNumber(value, 4);
  return typeof value === 'string' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** The plain-words verdict, first: "No trial is reliably better than the untuned mlp-small: keep it." */
function headline(results: ImproveResults, kept: Trial): string {
  return results.decision?.keep === 'tuned'
    ? `${trialLabel(kept)} is reliably better than the untuned ${results.candidate}: keep it.`
    : `No trial is reliably better than the untuned ${results.candidate}: keep it.`;
}

function parameters(params: Record<string, ParameterValue>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name} = ${showValue(value)}`)
    .join(', ');
}

/** What "Use this…" would change, or why it is not offered. */
function action(results: ImproveResults, kept: Trial, use: (trialIndex: number) => void): HTMLElement {
  const changes = results.decision?.changes;
  if (changes === undefined) {
    return h('p', { class: 'facts', 'data-role': 'use-state' }, 'topdown.json could not be read to compare.');
  }
  if (changes.length === 0) {
    return h(
      'p',
      { class: 'facts', 'data-role': 'use-state' },
      `topdown.json already has this configuration of ${results.candidate}.`,
    );
  }
  const list = changes
    .map((change) => `${change.parameter}: ${showValue(change.current)} → ${showValue(change.kept)}`)
    .join(', ');
  return h(
    'div',
    { class: 'use', 'data-role': 'use-state' },
    h('p', { class: 'facts' }, `Differs from topdown.json: ${list}.`),
    button(`Use this in topdown.json…`, () => use(kept.index), {
      name: 'use-trial',
      title: 'Shows the change to topdown.json as a diff first; Ctrl+Z undoes it',
    }),
  );
}

/** The decision card; while the engine has not decided (trials running, no test possible) it says so. */
export function decisionCard(results: ImproveResults, use: (trialIndex: number) => void): HTMLElement {
  const kept = keptTrial(results);
  if (!kept || !results.decision) {
    const running = results.trials.some((trial) => trial.status === 'running');
    return h(
      'section',
      { class: 'card decision', 'data-role': 'decision' },
      h('h2', {}, running ? 'Tuning is running' : 'No decision'),
      h(
        'p',
        { 'data-role': 'decision-text' },
        running
          ? 'Step 4 decides which configuration to keep when every trial has finished.'
          : 'Step 4 could not test the trials against the untuned configuration, so it kept the untuned one.',
      ),
    );
  }
  const untuned = results.trials.find((trial) => trial.untuned);
  return h(
    'section',
    { class: 'card decision', 'data-role': 'decision', 'data-kept': kept.index },
    h('header', {}, h('h2', {}, `Keep ${trialName(results, kept)}`)),
    h('p', { class: 'headline', 'data-role': 'decision-text' }, headline(results, kept)),
    h('p', { 'data-role': 'decision-detail' }, results.decision.message),
    h(
      'p',
      { class: 'facts' },
      `${metricLabel(results.metric)} ${formatNumber(kept.mean)} ± ${formatNumber(kept.std)}`,
      kept.untuned || !untuned
        ? ''
        : ` (untuned: ${formatNumber(untuned.mean)} ± ${formatNumber(untuned.std)})`,
      Object.keys(kept.params).length > 0 ? ` · ${parameters(kept.params)}` : '',
    ),
    action(results, kept, use),
  );
}
