/**
 * The Final results panel's data for a present run, read from what `topdown present` leaves on disk: the
 * bundle's manifest (`bundle.json`: metric, task, classes, cross-validation and holdout scores, an ensemble's
 * members) and its holdout predictions (`holdout-predictions.csv`). Used when the run records no
 * `outputs.final` file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { BundleManifest } from '../../core/present/bundle';
import type { FinalResults, PredictionSample } from '../../protocol/panel-final';
import type { RunRecord } from '../../protocol/records';
import { dataDecimals } from '../../shared/precision';
import { openRunStore } from '../runStore';
import { finalComparison } from './finalBaseline';
import { forecastView, residualKey } from './forecast';
import { projectFile } from './validate';

/** Rows of the predictions sample the panel shows. */
export const PREDICTION_SAMPLE_ROWS = 50;

type CsvRow = Record<string, string | number | null>;

function readPredictions(file: string): CsvRow[] {
  if (!existsSync(file)) return [];
  const parsed = Papa.parse<CsvRow>(readFileSync(file, 'utf8'), {
    header: true,
    dynamicTyping: true,
    skipEmptyLines: true,
  });
  return parsed.data;
}

function cell(value: string | number | null | undefined): string | number {
  return value ?? '';
}

/**
 * Regression and time series: every holdout point with its data row (a time series: keyed by the time it
 * forecasts), and the decimals the actual values carry; a time series adds its forecast view.
 */
function regressionPoints(
  rows: CsvRow[],
  manifest: BundleManifest,
): Pick<FinalResults, 'residuals' | 'decimals' | 'forecast'> {
  const target = manifest.target;
  const series = manifest.task === 'time-series';
  const residuals = rows
    .map((row) => ({
      actual: Number(row[target]),
      predicted: Number(row.prediction),
      row: Number(row.row),
      ...(series ? { time: residualKey(row) } : {}),
    }))
    .filter((point) => Number.isFinite(point.actual) && Number.isFinite(point.predicted));
  const forecast = series ? forecastView(rows, target, manifest.timeColumn) : undefined;
  return {
    residuals,
    decimals: dataDecimals(residuals.map((point) => point.actual)),
    ...(forecast ? { forecast } : {}),
  };
}

/** Builds the panel's results from a present run's bundle; undefined when the run has no readable bundle. */
export function finalResultsFromBundle(projectDir: string, record: RunRecord): FinalResults | undefined {
  if (!record.bundle) return undefined;
  const folder = projectFile(projectDir, record.bundle);
  if (!folder.ok || !existsSync(join(folder.value, 'bundle.json'))) return undefined;
  const manifest = JSON.parse(readFileSync(join(folder.value, 'bundle.json'), 'utf8')) as BundleManifest;
  const holdout = manifest.holdout ?? record.holdout ?? null;
  const rows = readPredictions(join(folder.value, 'holdout-predictions.csv'));
  const target = manifest.target;
  const predictions: PredictionSample[] = rows.slice(0, PREDICTION_SAMPLE_ROWS).map((row) => {
    const predicted = cell(row.prediction);
    const probability = manifest.classes ? row[`p_${predicted}`] : undefined;
    return {
      row: Number(row.row),
      ...(manifest.task === 'time-series' ? { time: residualKey(row) } : {}),
      actual: cell(row[target]),
      predicted,
      ...(typeof probability === 'number' ? { probability } : {}),
    };
  });
  const classification = manifest.classes !== undefined;
  const ensemble = manifest.ensemble
    ? { method: manifest.ensemble.method, members: manifest.ensemble.members.map((member) => member.name) }
    : undefined;
  return {
    runId: record.id,
    candidate: manifest.candidate.name,
    ...(ensemble ? { ensemble } : {}),
    metric: manifest.metric,
    task: manifest.task,
    higherIsBetter: manifest.higherIsBetter,
    holdout: holdout ? { ...holdout.metrics, [manifest.metric]: holdout.score } : {},
    ...finalComparison(openRunStore(projectDir), manifest, record),
    ...(classification ? { classes: manifest.classes, confusion: holdout?.confusion } : {}),
    ...(manifest.task === 'binary' && manifest.classes
      ? { positiveClass: manifest.positiveClass ?? manifest.classes[1] }
      : {}),
    ...(classification
      ? {}
      : {
          ...regressionPoints(rows, manifest),
        }),
    predictions,
    hasReport: Boolean(record.outputs?.report),
    hasModel: true,
  };
}

/**
 * The project-relative path a Final results button opens: the report, or the model bundle's folder (present runs
 * record it as `outputs.bundle`, and as `bundle`).
 */
export function finalOutputPath(record: RunRecord, target: 'report' | 'model'): string | undefined {
  return target === 'model' ? (record.outputs?.bundle ?? record.bundle) : record.outputs?.report;
}
