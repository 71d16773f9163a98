/** The Training panel's "what the curves say": the learning-curve advisor's words for each ended run. */
import type { TrainingRun } from '../../src/protocol/panels';
import { h } from '../shared/dom';

/** One line per run that has advice ("mlp-small, still improving: … Next: raise epochs to 200"), or nothing. */
export function adviceList(runs: readonly TrainingRun[]): HTMLElement[] {
  const advised = runs.filter((run) => run.advice);
  if (advised.length === 0) return [];
  return [
    h(
      'section',
      { class: 'card advice', 'data-role': 'advice' },
      h('h2', {}, 'What the curves say'),
      h(
        'ul',
        {},
        ...advised.map((run) => {
          const advice = run.advice!;
          return h(
            'li',
            { 'data-run': run.runId },
            h('strong', {}, `${run.label ?? run.candidate}, ${advice.diagnosis.replace(/-/g, ' ')}: `),
            `${advice.message} `,
            h('span', { class: 'next' }, `Next: ${advice.nextStep}`),
          );
        }),
      ),
    ),
  ];
}
