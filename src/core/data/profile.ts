/**
 * Step 1's data profile: per-column facts, the target's classes or distribution, and warnings a person should
 * look at before training (zeros that mean missing, identifiers, constant columns, imbalance...).
 *
 * Conventions: `std` is the sample standard deviation (n − 1); histograms have 10 equal-width bins from min to
 * max (the last bin includes max); `distinct` counts non-missing values. `targetCorrelation` is Pearson's r
 * with a numeric target (regression, time series) or with the 0/1 indicator of the positive class (binary);
 * for multiclass and image tasks it is the correlation ratio η (0..1, how much of the feature's variance the
 * class explains), since classes have no order.
 */
import type { Task } from '../config';
import { TopdownError } from '../errors';
import type { ColumnProfile, DataProfile, ProfileWarning } from '../../protocol/profile';
import { closestName } from './infer';
import { correlationRatio, histogram, numericStats, pearson } from './stats';
import { findColumn, type Column, type Table } from './table';
import { sampleImages } from './images/samples';
import { profileText } from './text-profile';
import { suspectZeros, suspectZerosReason, type SuspectZeros } from './zeros';

/** A categorical feature with more distinct values than this gets HIGH_CARDINALITY. */
export const HIGH_CARDINALITY_MIN = 50;
/** A column with more than this fraction missing gets HIGH_MISSING. */
export const HIGH_MISSING_FRACTION = 0.3;
/** A binary class below this fraction of the rows makes the target IMBALANCED (scaled by 2/classes for more). */
export const IMBALANCED_FRACTION = 0.2;
/** Fewer rows than this gets FEW_ROWS. */
export const FEW_ROWS = 50;

const TOP = 10;

/** Options of {@link profileTable}: the problem's target, task and roles. */
export interface ProfileOptions {
  target: string;
  task: Task;
  ignore?: string[];
  positiveClass?: string;
  /** A time series' time column: its role is `time` (it orders the rows; it is not a feature). */
  timeColumn?: string;
}

/**
 * Checks the target column: TARGET_MISSING when it is not in the table (lists the columns, suggests the
 * closest name), TARGET_NOT_NUMERIC for a regression or time-series target that is not numeric, and
 * TARGET_SINGLE_CLASS for a classification target with fewer than two classes.
 */
export function checkTarget(table: Table, target: string, task: Task, file: string = table.file): void {
  const column = findColumn(table, target);
  const names = table.columns.map((candidate) => candidate.name);
  if (column === undefined) {
    const closest = closestName(target, names);
    throw new TopdownError('TARGET_MISSING', `The target column "${target}" is not in ${file}.`, {
      file,
      column: target,
      field: '/problem/target',
      suggestion: closest,
      hint: `${closest ? `Did you mean "${closest}"? ` : ''}The columns are: ${names.join(', ')}.`,
    });
  }
  if (isClassificationTask(task)) {
    const classes = classCounts(column);
    if (classes.length < 2) {
      const only = classes.length === 1 ? `only the class "${classes[0].value}"` : 'no values at all';
      throw new TopdownError(
        'TARGET_SINGLE_CLASS',
        `The target "${target}" has ${only}, so there is nothing to classify.`,
        {
          file,
          column: target,
          field: '/problem/target',
          hint: 'Check that problem.target names the label column and that the file holds examples of every class.',
        },
      );
    }
  } else if (column.type !== 'numeric') {
    throw new TopdownError(
      'TARGET_NOT_NUMERIC',
      `The ${task} target "${target}" is ${column.type}, not numeric.`,
      {
        file,
        column: target,
        field: '/problem/task',
        hint: 'Choose a numeric target, or set problem.task to "binary" or "multiclass" to predict a category.',
      },
    );
  }
}

/** Profiles a table for step 1. Calls {@link checkTarget} first. */
export function profileTable(table: Table, options: ProfileOptions): DataProfile {
  checkTarget(table, options.target, options.task);
  const target = findColumn(table, options.target) as Column;
  const ignored = new Set(options.ignore ?? []);
  const classification = isClassificationTask(options.task);
  const classes = classification ? orderClasses(classCounts(target), target, options) : undefined;
  const targetValues = targetSignal(target, options, classes);
  const warnings: ProfileWarning[] = [];
  if (table.rowCount < FEW_ROWS) {
    warnings.push({
      code: 'FEW_ROWS',
      message: `Only ${table.rowCount} rows: scores will vary a lot between folds; prefer simple models and repeated k-fold.`,
    });
  }
  const features = table.columns
    .map((column) => column.name)
    .filter((name) => name !== options.target && !ignored.has(name));
  const zeros = suspectZeros(table, new Set(features));
  const columns = table.columns.map((column) => {
    // An image source's features are its images: its file-name column is never one.
    const notFeature =
      ignored.has(column.name) || (table.images !== undefined && column.type === 'identifier');
    const role = columnRole(column.name, options, notFeature);
    const profile = profileColumn(column, role);
    if (column.type === 'text')
      profile.text = profileText(column.values, classes && classRows(target, classes));
    if (role === 'feature' && column.type === 'numeric' && targetValues !== undefined) {
      const correlation =
        targetValues.kind === 'groups'
          ? correlationRatio(column.values, targetValues.values)
          : pearson(column.values, targetValues.values);
      if (Number.isFinite(correlation)) profile.targetCorrelation = correlation;
    }
    if (role !== 'ignored') {
      warnings.push(...columnWarnings(column, profile, table.rowCount, zeros.get(column.name)));
    }
    return profile;
  });
  const targetProfile: DataProfile['target'] = { name: target.name, task: options.task };
  if (classes !== undefined) {
    targetProfile.classes = classes;
    const total = classes.reduce((sum, entry) => sum + entry.count, 0);
    const minority = classes.reduce((least, entry) => (entry.count < least.count ? entry : least));
    // Binary: the minority below 20%. More classes: the smallest below the same share of an even split.
    if (minority.count / total < (IMBALANCED_FRACTION * 2) / classes.length) {
      warnings.push({
        code: 'IMBALANCED',
        column: target.name,
        message: `Class "${minority.value}" is only ${percent(minority.count / total)} of the rows: accuracy can look good by ignoring it; use stratified k-fold and consider F1 or ROC AUC.`,
      });
    }
  } else if (target.type === 'numeric') {
    const stats = numericStats(target.values);
    targetProfile.distribution = {
      min: stats.min,
      max: stats.max,
      mean: stats.mean,
      std: stats.std,
      histogram: histogram(target.values, stats.min, stats.max),
    };
  }
  const profile: DataProfile = {
    file: table.file,
    rows: table.rowCount,
    columns,
    target: targetProfile,
    warnings,
  };
  const images =
    classes &&
    sampleImages(
      table,
      target.name,
      classes.map((entry) => entry.value),
    );
  if (images) profile.images = images;
  return profile;
}

function columnRole(name: string, options: ProfileOptions, notFeature: boolean): ColumnProfile['role'] {
  if (name === options.target) return 'target';
  if (name === options.timeColumn) return 'time';
  return notFeature ? 'ignored' : 'feature';
}

function isClassificationTask(task: Task): boolean {
  return task === 'binary' || task === 'multiclass' || task === 'image';
}

/** Class labels and counts of a column, sorted (numerically for numeric columns); missing values left out. */
export function classCounts(column: Column): Array<{ value: string; count: number }> {
  const counts = new Map<string | number, number>();
  for (let index = 0; index < column.values.length; index++) {
    const value = column.values[index];
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) continue;
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const entries = [...counts.entries()];
  entries.sort(([left], [right]) =>
    typeof left === 'number' && typeof right === 'number'
      ? left - right
      : String(left) < String(right)
        ? -1
        : 1,
  );
  return entries.map(([value, count]) => ({ value: String(value), count }));
}

function orderClasses(
  classes: Array<{ value: string; count: number }>,
  target: Column,
  options: ProfileOptions,
): Array<{ value: string; count: number }> {
  if (options.task !== 'binary' || options.positiveClass === undefined) return classes;
  const positive = classes.findIndex((entry) => entry.value === options.positiveClass);
  if (positive < 0) {
    throw new TopdownError(
      'PROJECT_INVALID',
      `problem.positiveClass "${options.positiveClass}" is not a class of "${target.name}".`,
      {
        field: '/problem/positiveClass',
        column: target.name,
        hint: `The classes are: ${classes.map((entry) => entry.value).join(', ')}.`,
      },
    );
  }
  // Binary: the positive class is last (index 1), as the preparation pipeline orders it.
  return [...classes.filter((_, index) => index !== positive), classes[positive]];
}

/** The class index of every row (-1 where the target is missing), for the indicative words of text columns. */
function classRows(
  target: Column,
  classes: Array<{ value: string; count: number }>,
): { labels: string[]; rows: Int32Array } {
  const labels = classes.map((entry) => entry.value);
  const index = new Map(labels.map((label, position) => [label, position]));
  const rows = new Int32Array(target.values.length);
  for (let row = 0; row < rows.length; row++) {
    const value = target.values[row];
    const missing = value === null || (typeof value === 'number' && Number.isNaN(value));
    rows[row] = missing ? -1 : (index.get(String(value)) ?? -1);
  }
  return { labels, rows };
}

type TargetSignal = { kind: 'numbers'; values: Float64Array } | { kind: 'groups'; values: Int32Array };

/** The target as numbers to correlate with: itself, the positive-class indicator, or class indices. */
function targetSignal(
  target: Column,
  options: ProfileOptions,
  classes: Array<{ value: string; count: number }> | undefined,
): TargetSignal | undefined {
  if (classes === undefined) {
    return target.type === 'numeric'
      ? { kind: 'numbers', values: Float64Array.from(target.values) }
      : undefined;
  }
  const { labels, rows: indices } = classRows(target, classes);
  if (options.task === 'binary' && labels.length === 2) {
    return { kind: 'numbers', values: Float64Array.from(indices, (label) => (label < 0 ? NaN : label)) };
  }
  return { kind: 'groups', values: indices };
}

function profileColumn(column: Column, role: ColumnProfile['role']): ColumnProfile {
  const profile: ColumnProfile = { name: column.name, type: column.type, role, missing: 0, distinct: 0 };
  if (column.type === 'numeric' || column.type === 'date') {
    const stats = numericStats(column.values);
    profile.missing = stats.missing;
    profile.distinct = stats.distinct;
    if (stats.count > 0) {
      profile.min = stats.min;
      profile.max = stats.max;
      profile.mean = stats.mean;
      profile.std = stats.std;
    }
    if (column.type === 'numeric') {
      profile.zeros = stats.zeros;
      if (stats.count > 0) profile.histogram = histogram(column.values, stats.min, stats.max);
    }
    return profile;
  }
  const counts = new Map<string, number>();
  for (const value of column.values) {
    if (value === null) profile.missing++;
    else counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  profile.distinct = counts.size;
  if (column.type === 'categorical') {
    profile.top = [...counts.entries()]
      .sort(([leftValue, left], [rightValue, right]) => right - left || (leftValue < rightValue ? -1 : 1))
      .slice(0, TOP)
      .map(([value, count]) => ({ value, count }));
  }
  return profile;
}

function columnWarnings(
  column: Column,
  profile: ColumnProfile,
  rows: number,
  zeros: SuspectZeros | undefined,
): ProfileWarning[] {
  const warnings: ProfileWarning[] = [];
  const name = column.name;
  warnings.push(...numberFormatWarnings(column));
  if (column.type === 'identifier' && profile.role === 'feature' && column.decimalComma === undefined) {
    warnings.push({
      code: 'IDENTIFIER',
      column: name,
      message: `Column "${name}" looks like an identifier (${profile.distinct} distinct values in ${rows} rows); it will not be used as a feature. List it in problem.ignore to say so.`,
    });
  }
  if (profile.distinct <= 1) {
    warnings.push({
      code: 'CONSTANT',
      column: name,
      message: `Column "${name}" has ${profile.distinct === 0 ? 'no values' : 'the same value in every row'}; it carries no information. Add it to problem.ignore.`,
    });
  }
  if (rows > 0 && profile.missing / rows > HIGH_MISSING_FRACTION) {
    warnings.push({
      code: 'HIGH_MISSING',
      column: name,
      message: `Column "${name}" is missing in ${percent(profile.missing / rows)} of the rows; impute it with care or ignore it.`,
    });
  }
  if (
    column.type === 'categorical' &&
    profile.role === 'feature' &&
    profile.distinct > HIGH_CARDINALITY_MIN
  ) {
    warnings.push({
      code: 'HIGH_CARDINALITY',
      column: name,
      message: `Column "${name}" has ${profile.distinct} categories; one-hot encoding makes that many inputs. Group rare values or ignore it.`,
    });
  }
  if (zeros !== undefined) {
    warnings.push({
      code: 'ZEROS_LOOK_MISSING',
      column: name,
      message: `Column "${name}" has ${suspectZerosReason(zeros)}. If 0 means "missing" here, list it in problem.missing (e.g. "missing": { "${name}": [0] }); if 0 is a real value, keep the file as it is.`,
    });
  }
  return warnings;
}

/** Numbers Topdown cannot keep as written: integers float32 rounds, and numbers with a decimal comma. */
function numberFormatWarnings(column: Column): ProfileWarning[] {
  const name = column.name;
  if (column.type === 'numeric' && column.rounded !== undefined) {
    const { row, text, stored } = column.rounded;
    return [
      {
        code: 'ROUNDED_VALUES',
        column: name,
        message: `Column "${name}" holds integers larger than float32 keeps exactly (row ${row}: ${text} is stored as ${stored}), so nearby values become equal. If it is an identifier, list it in problem.ignore; if it is a quantity, subtract an offset or change its unit in the file.`,
      },
    ];
  }
  if (column.type !== 'numeric' && column.type !== 'date' && column.decimalComma !== undefined) {
    const { row, text } = column.decimalComma;
    return [
      {
        code: 'DECIMAL_COMMA',
        column: name,
        message: `Column "${name}" holds numbers written with a decimal comma (row ${row}: "${text}"), which Topdown reads as text (${column.type === 'identifier' ? 'an identifier, not used as a feature' : 'categories'}). Save the file with a decimal point (in a spreadsheet: English number format, or replace "," by "." in the column).`,
      },
    ];
  }
  return [];
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
