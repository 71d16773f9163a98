/**
 * Ensembles for step 4: combining members' fold predictions (average or majority vote) and checking the
 * `improve.ensembles` section against the project's candidates.
 */
import { isClassification, type Task } from '../config';
import { TopdownError } from '../errors';
import { suggestName } from './names';
import type { EnsembleConfig, EnsembleMethod } from './types';

/**
 * Combines the members' predictions for the same rows (row-major, `outputs` values per row, as
 * Estimator.predict returns them). `average`: the element-wise mean — probabilities for classifiers,
 * values for regression and time series. `vote` (classification only): each member votes for its most
 * probable class; each row becomes one-hot on the class with most votes, ties broken by the larger summed
 * probability, then by the lower class index. Throws INTERNAL for mismatched shapes and PROJECT_INVALID for
 * a vote on a task without classes.
 */
export function combinePredictions(
  method: EnsembleMethod,
  members: readonly Float32Array[],
  outputs: number,
  task: Task,
): Float32Array {
  if (members.length === 0)
    throw new TopdownError('INTERNAL', 'combinePredictions: an ensemble needs at least one member.');
  const length = members[0].length;
  if (!(Number.isInteger(outputs) && outputs >= 1) || length % outputs !== 0) {
    throw new TopdownError(
      'INTERNAL',
      `combinePredictions: ${length} predictions do not split into rows of ${outputs}.`,
    );
  }
  members.forEach((member, index) => {
    if (member.length !== length) {
      throw new TopdownError(
        'INTERNAL',
        `combinePredictions: member ${index} has ${member.length} predictions, member 0 has ${length}.`,
      );
    }
  });
  if (method === 'average') return averagePredictions(members, length);
  if (!isClassification(task)) {
    throw new TopdownError('PROJECT_INVALID', `A vote needs classes, but the task is ${task}.`, {
      hint: 'Use "method": "average" for regression and time series.',
    });
  }
  return votePredictions(members, outputs, length);
}

function averagePredictions(members: readonly Float32Array[], length: number): Float32Array {
  // Sum in float64 so many members do not lose precision before the division.
  const sums = new Float64Array(length);
  for (const member of members) for (let index = 0; index < length; index++) sums[index] += member[index];
  const combined = new Float32Array(length);
  for (let index = 0; index < length; index++) combined[index] = sums[index] / members.length;
  return combined;
}

function votePredictions(members: readonly Float32Array[], outputs: number, length: number): Float32Array {
  const combined = new Float32Array(length);
  const votes = new Int32Array(outputs);
  const probabilitySums = new Float64Array(outputs);
  for (let rowStart = 0; rowStart < length; rowStart += outputs) {
    votes.fill(0);
    probabilitySums.fill(0);
    for (const member of members) {
      let chosen = 0;
      for (let output = 0; output < outputs; output++) {
        probabilitySums[output] += member[rowStart + output];
        if (member[rowStart + output] > member[rowStart + chosen]) chosen = output;
      }
      votes[chosen] += 1;
    }
    let winner = 0;
    for (let output = 1; output < outputs; output++) {
      const moreVotes = votes[output] > votes[winner];
      const tieWithMoreProbability =
        votes[output] === votes[winner] && probabilitySums[output] > probabilitySums[winner];
      if (moreVotes || tieWithMoreProbability) winner = output;
    }
    combined[rowStart + winner] = 1;
  }
  return combined;
}

function invalid(message: string, field: string, hint?: string): TopdownError {
  return new TopdownError('PROJECT_INVALID', message, { field, hint });
}

/**
 * Checks `improve.ensembles` against the names members may use (the project's candidates) and throws
 * PROJECT_INVALID naming the field: not a list, a missing or duplicate name (or one that is already a
 * candidate), fewer than two members, an unknown member (suggesting the closest name), a member listed
 * twice, an unknown method, or a vote on a task without classes (when `task` is given).
 */
export function validateEnsembles(
  ensembles: unknown,
  candidateNames: readonly string[],
  options: { task?: Task; pointer?: string } = {},
): asserts ensembles is EnsembleConfig[] {
  const pointer = options.pointer ?? '/improve/ensembles';
  if (!Array.isArray(ensembles)) throw invalid('"ensembles" must be a list.', pointer);
  const names = new Set<string>();
  ensembles.forEach((ensemble: unknown, index: number) => {
    const field = `${pointer}/${index}`;
    if (typeof ensemble !== 'object' || ensemble === null || Array.isArray(ensemble)) {
      throw invalid(`Ensemble ${index + 1} must be an object with "name" and "members".`, field);
    }
    const { name, members, method } = ensemble as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '')
      throw invalid(`Ensemble ${index + 1} needs a "name".`, `${field}/name`);
    if (names.has(name)) throw invalid(`Two ensembles are named "${name}".`, `${field}/name`);
    if (candidateNames.includes(name)) {
      throw invalid(
        `The ensemble name "${name}" is already a candidate's name.`,
        `${field}/name`,
        'Give the ensemble its own name, e.g. "ensemble-average".',
      );
    }
    names.add(name);
    if (!Array.isArray(members) || members.length < 2) {
      throw invalid(
        `Ensemble "${name}" needs at least two members.`,
        `${field}/members`,
        'List two or more candidate names from "evaluate.candidates".',
      );
    }
    const seen = new Set<string>();
    members.forEach((member: unknown, memberIndex: number) => {
      const memberField = `${field}/members/${memberIndex}`;
      if (typeof member !== 'string')
        throw invalid(`Ensemble "${name}": members are candidate names (strings).`, memberField);
      if (!candidateNames.includes(member)) {
        throw invalid(
          `Ensemble "${name}" names an unknown candidate "${member}".`,
          memberField,
          suggestName(member, candidateNames, 'candidates'),
        );
      }
      if (seen.has(member)) throw invalid(`Ensemble "${name}" lists "${member}" twice.`, memberField);
      seen.add(member);
    });
    if (method !== undefined && method !== 'average' && method !== 'vote') {
      throw invalid(
        `Ensemble "${name}": method must be "average" or "vote", got ${JSON.stringify(method)}.`,
        `${field}/method`,
      );
    }
    if (method === 'vote' && options.task !== undefined && !isClassification(options.task)) {
      throw invalid(
        `Ensemble "${name}" votes, but a ${options.task} task has no classes to vote for.`,
        `${field}/method`,
        'Use "method": "average".',
      );
    }
  });
}
