// The peer benchmark cases: for each, a Topdown project (topdown.json + the data) and the Python script a
// user would write for the same work (same data, model shape, optimizer, batch size, epochs and folds).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spamCsv, spamRows } from '../../scripts/spam-corpus.mjs';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared datasets beside the repository (`../shared/datasets`); `--datasets` or TOPDOWN_DATASETS overrides. */
export const DATASETS = process.env.TOPDOWN_DATASETS ?? path.join(repository, '..', 'shared', 'datasets');

/**
 * Fashion-MNIST's four IDX files (gzip): `fashion-mnist/` in the datasets folder when there, else where the
 * Debian package `dataset-fashion-mnist` installs them; `--fashion` overrides.
 */
export function fashionFolder(datasets) {
  const shared = path.join(datasets, 'fashion-mnist');
  return existsSync(shared) ? shared : '/usr/share/datasets/fashion-mnist';
}

const seed = 7;

/** Epochs per case: small enough that the whole suite runs in minutes on 2 busy cores. */
export const EPOCHS = { pima: 20, sonar: 20, digits: 10, airline: 100, logistic: 50, fashion: 1 };

/**
 * @typedef {object} PeerCase
 * @property {string} name
 * @property {string} peer which peer library (torch, sklearn, pandas)
 * @property {string} data file name in DATASETS ('fashion-mnist': the IDX files, written as a CSV for Topdown), or
 *   the name of the file `write` makes
 * @property {(file: string) => void} [write] writes the case's data file (generated, not in DATASETS)
 * @property {() => {file: string, rows: number}} [ingest] an ingest case: writes (once) the CSV both sides read
 * @property {object} [project] topdown.json (omitted for the ingest and template cases)
 * @property {string} [template] a template case: the project is `topdown new <template>` as shipped, and the peer
 *   gets the project folder and Topdown's folds (folds.mjs) so that both sides score the same rows
 * @property {string} script Python script in bench/peers
 * @property {(dataFile: string) => string[]} peerArgs
 * @property {string} metric what the score is
 */

/** @type {PeerCase[]} */
export const CASES = [
  {
    name: 'mlp-pima',
    peer: 'torch',
    data: 'pima_diabetes.csv',
    metric: 'accuracy',
    project: binaryProject('pima_diabetes.csv', 'diabetes', 'pos', [
      mlp('mlp', [12, 8], 10, EPOCHS.pima, 0.001),
    ]),
    script: 'mlp.py',
    peerArgs: (file) => [file, 'diabetes', 'pos', '12,8', '10', `${EPOCHS.pima}`, '10', '0.001', `${seed}`],
  },
  {
    name: 'mlp-sonar',
    peer: 'torch',
    data: 'sonar.csv',
    metric: 'accuracy',
    project: binaryProject('sonar.csv', 'Class', 'M', [mlp('mlp', [60, 30], 5, EPOCHS.sonar, 0.001)]),
    script: 'mlp.py',
    peerArgs: (file) => [file, 'Class', 'M', '60,30', '5', `${EPOCHS.sonar}`, '10', '0.001', `${seed}`],
  },
  {
    name: 'cnn-digits',
    peer: 'torch',
    data: 'digits.csv',
    metric: 'accuracy',
    project: {
      name: 'bench-cnn-digits',
      problem: { data: 'data/digits.csv', target: 'label', task: 'image', metric: 'accuracy' },
      prepare: [{ op: 'image', rows: 8, cols: 8, channels: 1, scale: 16 }],
      evaluate: {
        validation: { scheme: 'stratified-kfold', folds: 5 },
        seed,
        candidates: [
          {
            name: 'cnn',
            model: 'cnn',
            filters: [16],
            kernelSize: 3,
            epochs: EPOCHS.digits,
            batchSize: 32,
            learningRate: 0.003,
          },
        ],
      },
    },
    script: 'cnn.py',
    peerArgs: (file) => [file, 'label', '32', `${EPOCHS.digits}`, '5', '0.003', `${seed}`],
  },
  {
    name: 'lstm-airline',
    peer: 'torch',
    data: 'airline_passengers.csv',
    metric: 'rmse',
    project: {
      name: 'bench-lstm-airline',
      problem: {
        data: 'data/airline_passengers.csv',
        target: 'Passengers',
        task: 'time-series',
        metric: 'rmse',
        timeColumn: 'Month',
      },
      prepare: [{ op: 'minmax' }, { op: 'window', lookBack: 12 }],
      evaluate: {
        validation: { scheme: 'walk-forward', folds: 4, minTrainFraction: 0.5 },
        seed,
        candidates: [
          {
            name: 'lstm',
            model: 'lstm',
            units: [50],
            // The PyTorch script forecasts the level, as most tutorials do; Topdown's default is the change.
            forecast: 'level',
            epochs: EPOCHS.airline,
            batchSize: 32,
            learningRate: 0.003,
          },
        ],
      },
    },
    script: 'lstm.py',
    peerArgs: (file) => [file, 'Passengers', '12', '50', '32', `${EPOCHS.airline}`, '4', '0.003', `${seed}`],
  },
  fashionCase('cnn-fashion', [16], []),
  fashionCase('cnn2-fashion', [32, 64], [128]),
  {
    // The fashion template as shipped (4,000 images, 800 held out, 5 stratified folds over the rest): every
    // candidate, baseline to k-NN; the peer reads the template's topdown.json and IDX files and Topdown's folds.
    name: 'fashion-template',
    peer: 'torch',
    template: 'fashion',
    data: 'template',
    metric: 'accuracy (mean of the candidates but the baseline)',
    script: 'fashion_template.py',
    peerArgs: (dir, folds) => [dir, folds],
  },
  classicCase('classic-pima', 'pima_diabetes.csv', 'diabetes', 'pos'),
  classicCase('classic-sonar', 'sonar.csv', 'Class', 'M'),
  {
    // The whole SpamAssassin corpus (6,046 e-mails) from the npm package, as the spam template reads its subset:
    // TF-IDF (20,000 tokens in at least 2 documents) and L2 logistic regression with C = 10, 10 stratified folds.
    name: 'text-spam',
    peer: 'sklearn',
    data: 'spam.csv',
    write: (file) => writeFileSync(file, spamCsv(spamRows())),
    metric: 'accuracy',
    project: {
      ...binaryProject('spam.csv', 'label', 'spam', [{ name: 'logistic', model: 'logistic', C: 10 }]),
      prepare: [{ op: 'tfidf', columns: ['text'], maxTokens: 20000, minCount: 2 }],
    },
    script: 'text.py',
    peerArgs: (file) => [
      file,
      'text',
      'label',
      'spam',
      '10',
      `${seed}`,
      '2',
      '10',
      '1',
      '20000',
      'tfidf-logistic',
    ],
  },
  {
    // A 100 MB CSV of distinct e-mails (the spam corpus repeated, each text made unique): read streaming, peak memory.
    name: 'ingest-text',
    peer: 'pandas',
    data: 'generated',
    metric: 'rows',
    script: 'ingest.py',
    peerArgs: (file) => [file],
    ingest: () => textCsv(100e6),
  },
  {
    name: 'ingest-csv',
    peer: 'pandas',
    data: 'generated',
    metric: 'rows',
    script: 'ingest.py',
    peerArgs: (file) => [file],
  },
];

/**
 * A CSV of about `bytes` bytes, `id,text,label`: the spam corpus's e-mails over and over, each text starting with
 * "message <id>" so that every one is distinct (a text column, not categories). Written once to the temp folder.
 */
function textCsv(bytes) {
  const file = path.join(tmpdir(), `topdown-peers-text-${bytes}.csv`);
  if (!existsSync(file)) {
    const rows = spamRows();
    const lines = ['id,text,label'];
    let size = 0;
    for (let id = 0; size < bytes; id++) {
      const { text, label } = rows[id % rows.length];
      const line = `${id},"message ${id} ${text.replace(/"/g, '""')}",${label}`;
      lines.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    writeFileSync(`${file}.partial`, `${lines.join('\n')}\n`);
    renameSync(`${file}.partial`, file);
  }
  // The texts hold no line breaks (the corpus collapses white space): one line per row after the header.
  const content = readFileSync(file);
  let lines = 0;
  for (let at = content.indexOf(10); at >= 0; at = content.indexOf(10, at + 1)) lines++;
  return { file, rows: lines - 1 };
}

/**
 * The zoo's cnn on the 60,000 Fashion-MNIST training images, scored on the 10,000 test images: the CSV holds the
 * training rows then the test rows, and an unshuffled stratified split of 1/7 takes each class's last 1,000 rows,
 * which are exactly the official test set. Adam 0.001, batch 128.
 */
function fashionCase(name, filters, dense) {
  return {
    name,
    peer: 'torch',
    data: 'fashion-mnist',
    metric: 'accuracy',
    project: {
      name: `bench-${name}`,
      problem: { data: 'data/fashion.csv', target: 'label', task: 'image', metric: 'accuracy' },
      prepare: [{ op: 'image', rows: 28, cols: 28, channels: 1, scale: 255 }],
      evaluate: {
        validation: { scheme: 'split', testFraction: 1 / 7, shuffle: false },
        seed,
        candidates: [
          {
            name: 'cnn',
            model: 'cnn',
            filters,
            dense,
            epochs: EPOCHS.fashion,
            batchSize: 128,
            learningRate: 0.001,
          },
        ],
      },
    },
    script: 'cnn_fashion.py',
    peerArgs: (folder) => [
      folder,
      filters.join(','),
      dense.join(','),
      '128',
      `${EPOCHS.fashion}`,
      '0.001',
      `${seed}`,
    ],
  };
}

function mlp(name, layers, batchSize, epochs, learningRate) {
  return { name, model: 'mlp', layers, epochs, batchSize, learningRate };
}

function binaryProject(data, target, positiveClass, candidates) {
  return {
    name: `bench-${path.basename(data, '.csv')}`,
    problem: { data: `data/${data}`, target, task: 'binary', metric: 'accuracy', positiveClass },
    prepare: [{ op: 'standardize' }],
    evaluate: { validation: { scheme: 'stratified-kfold', folds: 10 }, seed, candidates },
  };
}

function classicCase(name, data, target, positiveClass) {
  return {
    name,
    peer: 'sklearn',
    data,
    metric: 'accuracy (mean of the 3 models)',
    project: binaryProject(data, target, positiveClass, [
      // Topdown's logistic regression is a softmax layer trained with Adam; scikit-learn's uses lbfgs.
      { name: 'logistic', model: 'linear', epochs: EPOCHS.logistic, batchSize: 32, learningRate: 0.01 },
      { name: 'knn', model: 'knn', k: 5 },
      { name: 'random-forest', model: 'random-forest', trees: 100 },
    ]),
    script: 'classic.py',
    peerArgs: (file) => [file, target, positiveClass, '10', '5', '100', `${seed}`],
  };
}
