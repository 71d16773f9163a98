/**
 * The planner for free text (a CSV column of documents): TF-IDF features sized from the corpus, and the models
 * that read them sparse (logistic regression, multinomial naive Bayes), each choice with its reason. The numeric
 * columns beside the text are scaled to 0–1 rather than standardized, so every feature stays non-negative, as
 * naive Bayes needs.
 */
import type { CandidateConfig, PrepareOp } from '../config';
import type { Table } from '../data/table';
import { DocumentTokens } from '../text/token-ids';
import { DEFAULT_TOKENIZE } from '../text/tokenize';
import { DEFAULT_MAX_TOKENS, grow } from '../text/vocabulary';
import type { PlanChoice } from './candidates';
import type { ColumnSummary } from './columns';
import type { EmbeddingPlan } from './text-embedding';

/** A token must be in this many documents to enter the planned vocabulary (drops typos and one-off codes). */
export const PLANNED_MIN_COUNT = 2;

/** What the text plan adds: the op, the features it makes, and its reasons. */
export interface TextPlan {
  prepare: PrepareOp[];
  /** Vocabulary tokens (all text columns) plus the other features. */
  features: number;
  choices: PlanChoice[];
  /** The text column and its facts when there is exactly one (what an embedding candidate is sized from). */
  corpus?: { column: string; facts: CorpusFacts };
}

/** What the plan says of one text column's corpus. */
export interface CorpusFacts {
  /** The median words per present document. */
  medianWords: number;
  /** Distinct tokens in the corpus. */
  distinct: number;
  /** Tokens in {@link PLANNED_MIN_COUNT} documents or more. */
  frequent: number;
  /** Words per present document (uncut), ascending: what an embedding's sequence length is sized from. */
  lengths: number[];
}

/**
 * One pass over the documents as token ids: each is tokenized once (an uncached {@link DocumentTokens}, so no
 * document's ids outlive its turn) and its tokens' document frequencies counted, the way the vocabulary counts them.
 */
export function corpusFacts(values: ReadonlyArray<string | null>): CorpusFacts {
  const tokens = new DocumentTokens(DEFAULT_TOKENIZE, false);
  let frequencies = new Int32Array(1024);
  // The last document that counted each token, so that a token counts once per document.
  let last = new Int32Array(1024).fill(-1);
  const lengths: number[] = [];
  values.forEach((value, document) => {
    if (value === null) return;
    const { ids, words } = tokens.get(value);
    lengths.push(words);
    if (tokens.dictionary.size > frequencies.length) {
      const capacity = Math.max(2 * frequencies.length, tokens.dictionary.size);
      frequencies = grow(frequencies, new Int32Array(capacity));
      last = grow(last, new Int32Array(capacity).fill(-1));
    }
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index];
      if (last[id] === document) continue;
      last[id] = document;
      frequencies[id]++;
    }
  });
  lengths.sort((left, right) => left - right);
  let frequent = 0;
  for (let id = 0; id < tokens.dictionary.size; id++) if (frequencies[id] >= PLANNED_MIN_COUNT) frequent++;
  return {
    medianWords: lengths.length > 0 ? lengths[Math.floor(lengths.length / 2)] : 0,
    distinct: tokens.dictionary.size,
    frequent,
    lengths,
  };
}

/** The tfidf op over the text columns, sized from their vocabulary; `others` are the other kept features' ops. */
export function planText(table: Table, texts: ColumnSummary[], otherFeatures: number): TextPlan {
  const names = texts.map((column) => column.name);
  let tokens = 0;
  const corpora: CorpusFacts[] = [];
  const facts = texts.map((summary) => {
    const column = table.columns.find((candidate) => candidate.name === summary.name);
    const values = column && column.type !== 'numeric' && column.type !== 'date' ? column.values : [];
    const corpus = corpusFacts(values);
    corpora.push(corpus);
    const kept = Math.min(DEFAULT_MAX_TOKENS, corpus.frequent);
    tokens += kept;
    return `"${summary.name}" (${summary.present} documents, a median of ${corpus.medianWords} words, ${corpus.distinct} distinct words, ${kept} in ${PLANNED_MIN_COUNT} documents or more)`;
  });
  const maxTokens = DEFAULT_MAX_TOKENS;
  const choices: PlanChoice[] = [
    {
      topic: 'text',
      choice: `TF-IDF of ${names.map((name) => `"${name}"`).join(', ')}: words in ${PLANNED_MIN_COUNT}+ documents, at most ${maxTokens}`,
      why: `Free text: ${facts.join('; ')}. Each document becomes the weights of its words (frequent in it, rare in the corpus: TF-IDF), a sparse vector learned on each training fold, as scikit-learn's TfidfVectorizer. Words in a single document are left out; documents longer than ${DEFAULT_TOKENIZE.maxWords} words are cut (the preview of step 2 says how many). Add a {"op": "tokenize"} before it for word pairs ("ngrams": [1, 2]) or a stop-word list ("stopWords": "eng").`,
    },
  ];
  return {
    prepare: [{ op: 'tfidf', columns: names, maxTokens, minCount: PLANNED_MIN_COUNT }],
    features: tokens + otherFeatures,
    choices,
    ...(corpora.length === 1 ? { corpus: { column: names[0], facts: corpora[0] } } : {}),
  };
}

/** The text mlp the planner proposes: one hidden ReLU layer on the sparse TF-IDF features. */
const TEXT_MLP = { units: 32, epochs: 20, batchSize: 64 } as const;

/**
 * The most weight updates (Adam steps × first-layer weights) the planned text mlp may take: its first layer holds
 * features × units weights, each updated every batch. On the spam template (about 16,000 features, 1,600 training
 * e-mails per fold) ten epochs are 1.3·10⁸ updates and take a few seconds per fold in the typed-array loop.
 */
export const TEXT_MLP_BUDGET = 2e9;

/** The mlp candidate on `features` sparse features of `rows` training documents, or undefined when too costly. */
function textMlp(features: number, rows: number): { candidate?: CandidateConfig; why: string } {
  const { units, epochs, batchSize } = TEXT_MLP;
  const updates = Math.ceil(rows / batchSize) * epochs * features * units;
  if (updates > TEXT_MLP_BUDGET)
    return {
      why: ` No mlp: its first layer (${features} × ${units} weights, updated every batch) would take ${updates.toExponential(1)} weight updates over ${epochs} epochs, beyond the planner's ${TEXT_MLP_BUDGET.toExponential(0)}; lower "maxTokens" to get one.`,
    };
  return {
    candidate: {
      name: 'mlp',
      model: 'mlp',
      layers: [units],
      dropout: 0.2,
      epochs,
      batchSize,
      learningRate: 0.003,
      earlyStopping: { patience: 3 },
    },
    why: ` The mlp (one hidden layer of ${units} ReLU units, dropout 0.2) reads the same sparse TF-IDF rows: its first layer multiplies only the stored values (${features} × ${units} weights), so it trains in the typed-array loop without making the matrix dense; it can learn word combinations the linear models cannot, and early stopping (patience 3) ends it when held-out loss stops falling.`,
  };
}

/**
 * The candidates for text classification over `features` sparse features and `rows` training documents, and why;
 * `embedding` adds the embedding network with its own pipeline (sized by planEmbedding) or says why there is none.
 */
export function planTextCandidates(
  features: number,
  rows: number,
  embedding?: EmbeddingPlan,
): {
  candidates: CandidateConfig[];
  choices: PlanChoice[];
} {
  const mlp = textMlp(features, rows);
  return {
    candidates: [
      { name: 'baseline', model: 'baseline' },
      { name: 'logistic', model: 'logistic', C: 10 },
      { name: 'naive-bayes', model: 'multinomial-nb', alpha: 0.1 },
      ...(mlp.candidate ? [mlp.candidate] : []),
      ...(embedding?.candidate ? [embedding.candidate] : []),
    ],
    choices: [
      {
        topic: 'candidates',
        choice: `baseline, logistic (C 10), naive-bayes (multinomial, alpha 0.1)${mlp.candidate ? `, mlp [${TEXT_MLP.units}]` : ''}${embedding?.candidate ? ', embedding' : ''}`,
        why: `The baseline (always the most frequent class) is the number to beat. On ${features} sparse TF-IDF features, a regularised logistic regression is the reference text classifier (scikit-learn's TfidfVectorizer + LogisticRegression); C 10 penalises less than the default 1, since L2-normalised TF-IDF rows have small values. Multinomial naive Bayes counts how typical each word is of each class: seconds to fit, often close behind. Both read the sparse features as they are; the tree models of tables would need them dense, which does not fit in memory for a vocabulary this large.${mlp.why}`,
      },
      ...(embedding ? [{ topic: 'embedding', choice: embedding.choice, why: embedding.why }] : []),
    ],
  };
}

/** Step 4 for text: tune the logistic penalty, and average the two text models. */
export function planTextImprove(): Record<string, unknown> {
  return {
    candidates: ['logistic'],
    search: { method: 'random', trials: 8, seed: 1 },
    space: { logistic: { C: { logUniform: [0.3, 100] } } },
    ensembles: [{ name: 'ensemble-average', members: ['logistic', 'naive-bayes'], method: 'average' }],
  };
}
