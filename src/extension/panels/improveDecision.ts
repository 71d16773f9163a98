/**
 * The Improve panel's decision, as the engine made it (`decideTuning`), and the change "Use this" would make
 * to topdown.json. Plain functions of their inputs (no vscode, no disk), unit-tested.
 */
import { applyEdits, modify, parse, type ParseError } from 'jsonc-parser';
import type { ImproveDecision, ImproveResults, ParameterChange } from '../../protocol/panels';
import type { TuningRecord } from '../../protocol/records';
import { keptTrial } from '../../shared/trials';

/** Prefix of a custom model's option in a search space (`options.units` sets `options: { units }`). */
const optionPrefix = 'options.';

/**
 * The results with the engine's decision: improve.json's own, else the one the best trial's run recorded
 * (files written before improve.json carried it). Never a decision of the panel's own.
 */
export function withDecision(results: ImproveResults, tuning: TuningRecord | undefined): ImproveResults {
  if (results.decision || !tuning) return results;
  const untuned = results.trials.find((trial) => trial.untuned);
  const chosenIndex = tuning.keep === 'tuned' ? results.bestIndex : untuned?.index;
  if (chosenIndex === undefined) return results;
  const decision: ImproveDecision = {
    keep: tuning.keep,
    chosenIndex,
    message: tuning.message,
    pValue: tuning.pValue,
  };
  return { ...results, decision };
}

interface ProjectCandidates {
  evaluate?: { candidates?: Array<Record<string, unknown>> };
}

/** The JSON path of a tuned parameter inside its candidate entry. */
function parameterPath(parameter: string): string[] {
  return parameter.startsWith(optionPrefix) ? ['options', parameter.slice(optionPrefix.length)] : [parameter];
}

function valueAt(entry: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = entry;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The candidate's entry and its index in `evaluate.candidates`; an Error a person can act on otherwise. */
function candidateEntry(text: string, candidate: string): { index: number; entry: Record<string, unknown> } {
  const errors: ParseError[] = [];
  const project = parse(text, errors, { allowTrailingComma: true }) as ProjectCandidates | undefined;
  if (errors.length > 0) throw new Error('topdown.json does not parse; fix it before using a trial.');
  const list = project?.evaluate?.candidates ?? [];
  const index = list.findIndex((entry) => entry?.name === candidate);
  if (index < 0)
    throw new Error(`topdown.json has no candidate named "${candidate}" in evaluate.candidates.`);
  return { index, entry: list[index] };
}

/**
 * The kept trial's parameters that differ from the candidate in topdown.json now. A parameter topdown.json
 * leaves out counts as the value the untuned run used (its default), so keeping the untuned configuration
 * of an unchanged file is no change. Undefined when topdown.json does not parse or lacks the candidate.
 */
export function parameterChanges(text: string, results: ImproveResults): ParameterChange[] | undefined {
  const kept = keptTrial(results);
  if (!kept) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = candidateEntry(text, results.candidate).entry;
  } catch {
    return undefined;
  }
  const untuned = results.trials.find((trial) => trial.untuned);
  const changes: ParameterChange[] = [];
  for (const [parameter, value] of Object.entries(kept.params)) {
    const current = valueAt(entry, parameterPath(parameter)) ?? untuned?.params[parameter];
    if (JSON.stringify(current) === JSON.stringify(value)) continue;
    changes.push(current === undefined ? { parameter, kept: value } : { parameter, current, kept: value });
  }
  return changes;
}

/** The results with `decision.changes` set from topdown.json's text (left out when it cannot be read). */
export function withChanges(results: ImproveResults, text: string | undefined): ImproveResults {
  if (!results.decision) return results;
  const changes = text === undefined ? undefined : parameterChanges(text, results);
  const decision: ImproveDecision = { ...results.decision };
  delete decision.changes;
  if (changes) decision.changes = changes;
  return { ...results, decision };
}

/**
 * topdown.json's text with `params` set on the candidate named `candidate` in `evaluate.candidates`, comments
 * and formatting kept.
 */
export function textWithParameters(text: string, candidate: string, params: Record<string, unknown>): string {
  const { index } = candidateEntry(text, candidate);
  const formatting = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
  let result = text;
  for (const [parameter, value] of Object.entries(params)) {
    const path = ['evaluate', 'candidates', index, ...parameterPath(parameter)];
    result = applyEdits(result, modify(result, path, value, formatting));
  }
  return result;
}
