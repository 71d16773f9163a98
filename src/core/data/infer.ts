/**
 * Reading single cells and deciding column types. Pure functions, shared by the CSV loader and its tests.
 *
 * Missing values: a cell is missing when it is empty or blank, when its text (trimmed) is one of
 * {@link DEFAULT_MISSING_MARKERS} (unless defaults are turned off), or when it matches a marker listed for its
 * column (or for `*`) in `problem.missing`. Markers that read as numbers also match by value, so `0` matches
 * `0.0`. The texts `NaN`/`nan` are default markers; `Infinity`, `-Infinity` and `inf` are not: in a numeric
 * column they are an error (NON_FINITE_VALUE).
 */
import { nearestName } from '../names';

/** Cell texts that mean "missing" unless `defaultMissing: false` (after trimming; close to pandas' defaults). */
export const DEFAULT_MISSING_MARKERS: readonly string[] = [
  'NA',
  'N/A',
  'n/a',
  'na',
  '#N/A',
  '<NA>',
  'NaN',
  'nan',
  '-NaN',
  '-nan',
  'null',
  'NULL',
  'Null',
  'None',
  '?',
];

/** A column is numeric when at least this fraction of its non-missing cells read as numbers. */
export const NUMERIC_FRACTION = 0.9;

/** Fewest non-missing values before a column can be inferred as an identifier. */
export const IDENTIFIER_MIN_VALUES = 10;

/** A text column is an identifier when its distinct values are at least this fraction of its non-missing cells. */
export const IDENTIFIER_DISTINCT_FRACTION = 0.5;

/** A value of free text has at least this many words (runs of non-space characters). */
export const TEXT_MIN_WORDS = 5;

/** A column of distinct strings is free text when at least this fraction of its values have TEXT_MIN_WORDS words. */
export const TEXT_FRACTION = 0.5;

/** The markers that make a cell of one column missing: texts (trimmed) and numeric values. */
export interface MissingRule {
  texts: Set<string>;
  values: Set<number>;
}

/**
 * The missing rule of one column: defaults (unless turned off), plus `missing['*']`, plus `missing[column]`.
 */
export function missingRule(
  column: string,
  missing: Record<string, Array<string | number>> | undefined,
  useDefaults = true,
): MissingRule {
  const rule: MissingRule = { texts: new Set(useDefaults ? DEFAULT_MISSING_MARKERS : []), values: new Set() };
  for (const marker of [...(missing?.['*'] ?? []), ...(missing?.[column] ?? [])]) {
    if (typeof marker === 'number') {
      rule.values.add(marker);
      rule.texts.add(String(marker));
    } else {
      const text = marker.trim();
      rule.texts.add(text);
      const value = parseNumber(text);
      if (Number.isFinite(value)) rule.values.add(value);
    }
  }
  return rule;
}

const INFINITY_TEXT = /^\s*[+-]?(inf|infinity)\s*$/i;

/**
 * Reads a cell as a number: a finite number, ±Infinity for non-finite numeric text (`Infinity`, `-inf`,
 * `1e999`), or NaN when the text is not a number. Hex/binary/octal literals (`0x1F`) and blank text are not
 * numbers, although JavaScript's Number() would accept them.
 */
export function parseNumber(text: string): number {
  const value = +text;
  if (value === value) {
    if (value === 0 && !hasDigit(text)) return NaN;
    if (text.charCodeAt(0) === 48 && text.length > 2) {
      const second = text.charCodeAt(1) | 32;
      if (second === 120 || second === 98 || second === 111) return NaN;
    }
    return value;
  }
  if (INFINITY_TEXT.test(text)) return text.includes('-') ? -Infinity : Infinity;
  return NaN;
}

function hasDigit(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

const DATE_PATTERN =
  /^(\d{4})([-/])(\d{1,2})(?:\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?Z?)?)?$/;

/**
 * Reads an ISO-like date as epoch milliseconds (UTC), or NaN. Accepted: `YYYY-MM-DD`, `YYYY-MM`,
 * `YYYY-MM-DD hh:mm[:ss[.fff]]` (also with `T` and a trailing `Z`), `YYYY/MM/DD`. Impossible dates
 * (2023-02-30) are NaN.
 */
export function parseDate(text: string): number {
  const match = DATE_PATTERN.exec(text.trim());
  if (!match) return NaN;
  const [, yearText, separator, monthText, dayText, hourText, minuteText, secondText, fractionText] = match;
  // YYYY/MM alone reads too much like a fraction or a ratio to call it a date.
  if (separator === '/' && dayText === undefined) return NaN;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = dayText === undefined ? 1 : Number(dayText);
  const hour = hourText === undefined ? 0 : Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  const millisecond = fractionText === undefined ? 0 : Math.round(Number(fractionText) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC rolls 30 February over to March; reject dates that rolled.
  if (new Date(time).getUTCDate() !== day) return NaN;
  return time;
}

/** What a text column (stored as strings) turns out to be. */
export type TextVerdict =
  | { type: 'numeric-error'; index: number; text: string }
  | { type: 'date'; values: Float64Array }
  | { type: 'categorical' | 'identifier' | 'text' };

/**
 * Decides the type of a column whose cells were kept as text (null = missing): mostly numbers with some text
 * is an error at the first text cell; all dates is a date column; many distinct, mostly non-numeric values are
 * free text when most of them are sentences ({@link isFreeText}), else an identifier; anything else is
 * categorical.
 */
export function inferTextColumn(values: ReadonlyArray<string | null>): TextVerdict {
  let present = 0;
  let numbers = 0;
  let firstText = -1;
  let allDates = true;
  const distinct = new Set<string>();
  for (let index = 0; index < values.length; index++) {
    const text = values[index];
    if (text === null) continue;
    present++;
    distinct.add(text);
    if (!Number.isNaN(parseNumber(text))) numbers++;
    else if (firstText < 0) firstText = index;
    if (allDates && Number.isNaN(parseDate(text))) allDates = false;
  }
  if (present > 0 && firstText >= 0 && numbers / present >= NUMERIC_FRACTION) {
    return { type: 'numeric-error', index: firstText, text: values[firstText] as string };
  }
  if (present > 0 && allDates) return { type: 'date', values: toDates(values) };
  if (
    present >= IDENTIFIER_MIN_VALUES &&
    distinct.size >= IDENTIFIER_MIN_VALUES &&
    distinct.size >= IDENTIFIER_DISTINCT_FRACTION * present &&
    numbers < present / 2
  ) {
    return { type: isFreeText(values) ? 'text' : 'identifier' };
  }
  return { type: 'categorical' };
}

/** Whether a value has at least TEXT_MIN_WORDS words (stops counting there: documents can be long). */
export function hasWords(text: string, words = TEXT_MIN_WORDS): boolean {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const space = code === 32 || (code >= 9 && code <= 13) || code === 160;
    if (!space && !inWord && ++count >= words) return true;
    inWord = !space;
  }
  return false;
}

/**
 * Whether the non-missing values read as free text (documents, reviews, messages) rather than names or
 * codes: at least {@link TEXT_FRACTION} of them have {@link TEXT_MIN_WORDS} words or more. A name ("Braund,
 * Mr. Owen Harris"), a code or an e-mail address has fewer.
 */
export function isFreeText(values: ReadonlyArray<string | null>): boolean {
  let present = 0;
  let sentences = 0;
  for (const text of values) {
    if (text === null) continue;
    present++;
    if (hasWords(text)) sentences++;
  }
  return present > 0 && sentences >= TEXT_FRACTION * present;
}

const COMMA_NUMBER = /^[+-]?\d+(?:\.\d{3})*,\d+$/;

/**
 * The index of the first cell written as a number with a decimal comma (`0,123`, `-1.234,5`), when at least
 * {@link NUMERIC_FRACTION} of the column's non-missing cells are such numbers or plain numbers; else -1.
 */
export function decimalCommaIndex(values: ReadonlyArray<string | null>): number {
  let present = 0;
  let numbers = 0;
  let first = -1;
  for (let index = 0; index < values.length; index++) {
    const text = values[index];
    if (text === null) continue;
    present++;
    if (COMMA_NUMBER.test(text)) {
      numbers++;
      if (first < 0) first = index;
    } else if (!Number.isNaN(parseNumber(text))) {
      numbers++;
    }
  }
  return first >= 0 && numbers >= NUMERIC_FRACTION * present ? first : -1;
}

/** Converts text cells to epoch milliseconds (NaN for missing or unreadable cells). */
export function toDates(values: ReadonlyArray<string | null>): Float64Array {
  const dates = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const text = values[index];
    dates[index] = text === null ? NaN : parseDate(text);
  }
  return dates;
}

/**
 * True for a row-number column: at least {@link IDENTIFIER_MIN_VALUES} values, none missing, starting at 0 or 1,
 * each one more than the previous.
 */
export function isRowIdentifier(values: Float32Array): boolean {
  if (values.length < IDENTIFIER_MIN_VALUES) return false;
  const first = values[0];
  // Row numbers count from 0 or 1; a series that climbs by one from elsewhere (a year, a level) stays numeric.
  if (first !== 0 && first !== 1) return false;
  for (let index = 1; index < values.length; index++) {
    if (values[index] !== first + index) return false;
  }
  return true;
}

/** The candidate closest to `name` by edit distance (case-insensitive), or undefined when none is close. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const nearest = nearestName(name, candidates);
  return nearest && nearest.distance <= Math.max(2, Math.floor(name.length / 2)) ? nearest.name : undefined;
}
