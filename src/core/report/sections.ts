/** Section headings and the "not run yet" note, shared by the section builders. */
import { code, type Block } from './blocks';

/** The section headings, in order (tests and the table of contents use them). */
export const REPORT_SECTIONS = {
  problem: 'Problem',
  data: 'Data',
  baseline: 'Baseline',
  spotCheck: 'Spot-check',
  learningCurves: 'Learning curves',
  tuning: 'Tuning',
  final: 'Final result',
  reproduce: 'How to reproduce',
  credit: 'Dataset credit',
} as const;

/** The note for a step that has not run: "Not run yet: run `topdown improve` to …". */
export function notRunYet(command: string, purpose: string): Block {
  return { kind: 'note', content: ['Not run yet: run ', code(command), ` to ${purpose}.`] };
}
