/**
 * Topdown: Predict with Model… — pick a model bundle (the presented one first), pick what to predict (a CSV, or
 * images for an image model), confirm where the predictions go (never replacing a file without asking), then
 * `topdown predict` runs as a child process (argument array, no shell) under a progress notification with
 * Cancel; the predictions open, and when the input held the target the notification gives their score.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { defaultPredictionsPath } from '../shared/predictions';
import { describeFailure } from './editor/errorLocation';
import { nodeOrSayWhy } from './jobs/editorNode';
import { describePrediction, runPredict, scoreMetricsWords, type PredictOutcome } from './jobs/predict';
import {
  bundleItem,
  csvColumnsWords,
  inputKind,
  listBundles,
  presentedBundleName,
  type BundleChoice,
} from './models/predictChoices';
import { openRunStore } from './runStore';

/** The editor's services the command uses besides `vscode.window`. */
export interface PredictServices {
  extensionPath: string;
  log: Pick<vscode.LogOutputChannel, 'info' | 'error'>;
}

/** The bundles of the project with the presented one first; the latest present run's, when the store reads. */
function projectBundles(projectDir: string): BundleChoice[] {
  let presented: string | undefined;
  try {
    presented = presentedBundleName(openRunStore(projectDir));
  } catch {
    // An unreadable run store only loses the "presented" mark; the bundles are still listed.
  }
  return listBundles(projectDir, presented);
}

/** Asks which bundle predicts; `named` (a folder name under models/, from the Final panel) skips the question. */
async function chooseBundle(projectDir: string, named?: string): Promise<BundleChoice | undefined> {
  const bundles = projectBundles(projectDir);
  if (bundles.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'No saved model yet: Present Results fits the final model and saves it under models/.',
      'Present Results',
    );
    if (choice) await vscode.commands.executeCommand('topdown.present', { projectDir });
    return undefined;
  }
  const given = named ? bundles.find((bundle) => bundle.name === named) : undefined;
  if (given) return given;
  const picked = await vscode.window.showQuickPick(
    bundles.map((bundle) => ({ ...bundleItem(bundle), bundle })),
    { title: 'Topdown: predict with which model?', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.bundle;
}

/** The image inputs a model takes, as the first question for an image bundle. */
const IMAGE_SOURCES = [
  { label: 'A folder of images', detail: 'Every PNG or JPEG image in it', folder: true },
  { label: 'Image files', detail: 'PNG or JPEG files, one or more', folder: false },
  {
    label: 'An IDX images file',
    detail: 'One *-images-idx3-ubyte[.gz] file, as Fashion-MNIST ships',
    folder: false,
  },
];

/** Asks what to predict: a CSV, or for an image bundle a folder, image files or an IDX file. */
async function chooseInputs(projectDir: string, bundle: BundleChoice): Promise<string[] | undefined> {
  const defaultUri = vscode.Uri.file(projectDir);
  if (inputKind(bundle) === 'csv') {
    const columns = csvColumnsWords(bundle);
    const picked = await vscode.window.showOpenDialog({
      title: `Topdown: the CSV to predict${columns ? ` (${columns})` : ''}`,
      defaultUri,
      openLabel: 'Predict',
      filters: { 'CSV files': ['csv'] },
    });
    return picked?.[0] ? [picked[0].fsPath] : undefined;
  }
  const source = await vscode.window.showQuickPick(IMAGE_SOURCES, {
    title: `Topdown: what should ${bundle.name} predict?`,
  });
  if (!source) return undefined;
  const idx = source === IMAGE_SOURCES[2];
  const picked = await vscode.window.showOpenDialog({
    title: `Topdown: ${source.label.toLowerCase()} to predict`,
    defaultUri,
    openLabel: 'Predict',
    canSelectFiles: !source.folder,
    canSelectFolders: source.folder,
    canSelectMany: !source.folder && !idx,
    // IDX files are named `*-images-idx3-ubyte` (no extension to filter on) or `….gz`: any file is offered.
    ...(source.folder || idx ? {} : { filters: { Images: ['png', 'jpg', 'jpeg'] } }),
  });
  return picked && picked.length > 0 ? picked.map((uri) => uri.fsPath) : undefined;
}

/**
 * Where the predictions go: `<input>.predictions.csv` beside the input; when that file exists, the user
 * replaces it or chooses another name (the save dialog asks again before replacing).
 */
export async function chooseOutput(input: string): Promise<string | undefined> {
  const proposed = defaultPredictionsPath(input);
  if (!existsSync(proposed)) return proposed;
  const answer = await vscode.window.showWarningMessage(
    `${basename(proposed)} already exists in ${dirname(proposed)}. Replace it with the new predictions?`,
    { modal: true },
    'Replace',
    'Choose Another Name…',
  );
  if (answer === 'Replace') return proposed;
  if (answer !== 'Choose Another Name…') return undefined;
  const saved = await vscode.window.showSaveDialog({
    title: 'Topdown: save the predictions as',
    defaultUri: vscode.Uri.file(proposed),
    filters: { 'CSV files': ['csv'] },
  });
  return saved?.fsPath;
}

/** Says how the prediction ended: the score (notification and log) and opens the predictions, or the error. */
async function report(
  outcome: PredictOutcome,
  services: PredictServices,
  what: string,
  projectDir: string,
): Promise<void> {
  if (outcome.status === 'cancelled') {
    services.log.info(`Predict: ${what} cancelled.`);
    return;
  }
  if (outcome.status === 'failed') {
    const { code, message, hint } = outcome.error;
    services.log.error(`Predict: ${what} failed: ${code}: ${message}${hint ? ` ${hint}` : ''}`);
    void vscode.window.showErrorMessage(describeFailure('Predict', outcome.error, projectDir));
    return;
  }
  const scored = outcome.score
    ? ` Scored ${outcome.score.rows} rows against ${outcome.score.target} (${outcome.score.skipped} left out): ${scoreMetricsWords(outcome.score)}.`
    : ' The input holds no target column: nothing to score.';
  services.log.info(`Predict: ${what}: ${outcome.rows} predictions in ${outcome.output}.${scored}`);
  await vscode.window.showTextDocument(vscode.Uri.file(outcome.output), { preview: false });
  void vscode.window.showInformationMessage(describePrediction(outcome));
}

/**
 * Runs the whole Predict flow on a project. `bundleName` (a folder under models/) skips the model question, as
 * the Final results panel's Predict… button does for its own model.
 */
export async function predictWithModel(
  services: PredictServices,
  projectDir: string,
  bundleName?: string,
): Promise<void> {
  const bundle = await chooseBundle(projectDir, bundleName);
  if (!bundle) return;
  const inputs = await chooseInputs(projectDir, bundle);
  if (!inputs) return;
  const output = await chooseOutput(inputs[0]);
  if (!output) return;
  const node = nodeOrSayWhy(services.log);
  if (!node) return;
  const what = `models/${bundle.name} on ${inputs.length > 1 ? `${inputs.length} files` : inputs[0]}`;
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Topdown: predicting ${inputs.length > 1 ? `${inputs.length} images` : basename(inputs[0])} with ${bundle.name}…`,
      cancellable: true,
    },
    (_progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      const cliPath = join(services.extensionPath, 'dist', 'cli.js');
      const request = {
        cliPath,
        node,
        bundleDir: bundle.dir,
        inputs,
        output,
        cwd: projectDir,
        signal: abort.signal,
      };
      return runPredict(request).finally(() => listener.dispose());
    },
  );
  await report(outcome, services, what, projectDir);
}
