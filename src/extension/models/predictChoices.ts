/**
 * What the Predict command offers, without `vscode`: the project's model bundles (the presented one first, each
 * in words with its candidate and score), and the kind of input each reads. A bundle's manifest is data: it is read with a size limit and only its plain fields are used.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleManifest } from '../../core/present/bundle';
import { formatScore, metricLabel } from '../../shared/format';
import type { RunStore } from '../runStore';

/** Largest bundle.json read for the picker (a manifest is a few KiB; its files list grows with members). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** What a bundle reads: a CSV of columns, or images (a folder, image files or an IDX file). */
export type PredictInputKind = 'csv' | 'images';

/** One model bundle under `models/`, as the picker shows it. */
export interface BundleChoice {
  /** The folder name under models/. */
  name: string;
  /** Absolute bundle folder. */
  dir: string;
  /** Whether the project's latest completed Present Results run wrote it. */
  presented: boolean;
  /** From bundle.json, when it reads: the candidate, task, metric and scores. */
  manifest?: Pick<
    BundleManifest,
    'candidate' | 'task' | 'target' | 'metric' | 'holdout' | 'cv' | 'inputs' | 'createdAt' | 'ensemble'
  >;
}

/** The plain manifest fields the picker uses, or undefined when bundle.json is missing, too large or not JSON. */
function readManifest(dir: string): BundleChoice['manifest'] {
  const file = join(dir, 'bundle.json');
  try {
    if (!existsSync(file) || statSync(file).size > MAX_MANIFEST_BYTES) return undefined;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<BundleManifest> | null;
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      typeof parsed.task !== 'string' ||
      typeof parsed.target !== 'string' ||
      typeof parsed.metric !== 'string' ||
      typeof parsed.candidate?.name !== 'string'
    )
      return undefined;
    return parsed as BundleChoice['manifest'];
  } catch {
    return undefined;
  }
}

/** The folder name of a project-relative bundle path (`models/<name>`), as a present run records it. */
export function bundleFolderName(bundle: string | undefined): string | undefined {
  const match = bundle ? /^models[\\/]([^\\/]+)[\\/]?$/.exec(bundle) : null;
  return match && match[1] !== '..' && match[1] !== '.' ? match[1] : undefined;
}

/** The bundle folder name of the project's latest completed Present Results run. */
export function presentedBundleName(store: RunStore): string | undefined {
  const record = store.latest('present');
  return bundleFolderName(record?.outputs?.bundle ?? record?.bundle);
}

/**
 * The bundles under `<projectDir>/models/`: the presented one first, then the newest first (by bundle.json's
 * `createdAt`), then by name. Only folders with a bundle.json are bundles (links and other files are not).
 */
export function listBundles(projectDir: string, presented: string | undefined): BundleChoice[] {
  const modelsDir = join(projectDir, 'models');
  if (!existsSync(modelsDir)) return [];
  const choices: BundleChoice[] = readdirSync(modelsDir, { withFileTypes: true })
    // Staging and replaced folders of a present that is running or was killed are not bundles.
    .filter(
      (entry) =>
        entry.isDirectory() &&
        !entry.name.startsWith('.') &&
        existsSync(join(modelsDir, entry.name, 'bundle.json')),
    )
    .map((entry) => {
      const dir = join(modelsDir, entry.name);
      const manifest = readManifest(dir);
      return {
        name: entry.name,
        dir,
        presented: entry.name === presented,
        ...(manifest ? { manifest } : {}),
      };
    });
  const created = (choice: BundleChoice) =>
    typeof choice.manifest?.createdAt === 'string' ? choice.manifest.createdAt : '';
  return choices.sort(
    (a, b) =>
      Number(b.presented) - Number(a.presented) ||
      created(b).localeCompare(created(a)) ||
      a.name.localeCompare(b.name),
  );
}

/** "accuracy 0.861 on the holdout (cross-validation 0.850 ± 0.020)", or the CV estimate alone. */
function scoreWords(manifest: NonNullable<BundleChoice['manifest']>): string | undefined {
  const metric = metricLabel(manifest.metric);
  const cv =
    manifest.cv && typeof manifest.cv.mean === 'number'
      ? `cross-validation ${formatScore(manifest.cv.mean)} ± ${formatScore(manifest.cv.std ?? 0)}`
      : undefined;
  if (manifest.holdout && typeof manifest.holdout.score === 'number')
    return `${metric} ${formatScore(manifest.holdout.score)} on the holdout${cv ? ` (${cv})` : ''}`;
  return cv ? `${metric}: ${cv}` : undefined;
}

/** A bundle as a quick pick item: its folder, "presented" and its candidate, and its score in words. */
export function bundleItem(choice: BundleChoice): { label: string; description: string; detail: string } {
  const manifest = choice.manifest;
  if (!manifest) {
    return {
      label: choice.name,
      description: choice.presented ? 'presented' : '',
      detail: `models/${choice.name}: its bundle.json does not read; predicting will say why.`,
    };
  }
  const members = manifest.ensemble?.members?.map((member) => member.name);
  const what = members
    ? `ensemble of ${members.join(', ')} (${manifest.ensemble?.method})`
    : `${manifest.candidate.name} (${manifest.candidate.model})`;
  const score = scoreWords(manifest);
  return {
    label: choice.name,
    description: [choice.presented ? 'presented' : '', what].filter(Boolean).join(' · '),
    detail: `${score ? `${score} · ` : ''}predicts ${manifest.target} (${manifest.task})`,
  };
}

/** Whether a bundle reads images (an image task) or a CSV of columns (the others, text included). */
export function inputKind(choice: BundleChoice): PredictInputKind {
  return choice.manifest?.task === 'image' ? 'images' : 'csv';
}

/**
 * The columns a CSV must hold for the bundle, as the open dialog's title says them: the features (a time series'
 * target among them), and the target as optional, for scoring.
 */
export function csvColumnsWords(choice: BundleChoice): string | undefined {
  const manifest = choice.manifest;
  if (!manifest || !Array.isArray(manifest.inputs)) return undefined;
  const series = manifest.task === 'time-series';
  const names = manifest.inputs
    .filter((input) => series || input.name !== manifest.target)
    .map((input) => `${input.name}${input.type === 'text' ? ' (text)' : ''}`);
  if (names.length === 0) return undefined;
  const shown =
    names.length > 6 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  return series ? `the series' columns ${shown}` : `columns ${shown}; with ${manifest.target} it is scored`;
}
