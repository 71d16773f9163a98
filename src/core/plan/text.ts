/**
 * The planner for free text (a CSV column of documents): TF-IDF features sized from the corpus, and the models
 * that read them sparse (logistic regression, multinomial naive Bayes), each choice with its reason. The numeric
 * columns beside the text are scaled to 0–1 rather than standardized, so every feature stays non-negative, as
 * naive Bayes needs.
 */
import type { CandidateConfig, PrepareOp } from '../config';
import type { Table } from '../data/table';
import { DEFAULT_TOKENIZE } from '../text/tokenize';
import { DEFAULT_MAX_TOKENS } from '../text/vocabulary';
import { corpusFacts, PLANNED_MIN_COUNT, quantile, type CorpusFacts } from './corpus';
import type { PlanChoice } from './candidates';
import type { ColumnSummary } from './columns';
import type { EmbeddingPlan } from './text-embedding';

export { PLANNED_MIN_COUNT } from './corpus';

/** What the text plan adds: the op, the features it makes, and its reasons. */
export interface TextPlan {
  prepare: PrepareOp[];
  /** Vocabulary tokens (all text columns) plus the other features. */
  features: number;
  choices: PlanChoice[];
  /** The facts of the text column when there is exactly one (what an embedding candidate is sized from). */
  corpus?: CorpusFacts;
}

/** The tfidf op over the text columns, sized from their vocabulary; `otherFeatures` are the other kept features. */
export function planText(table: Table, texts: ColumnSummary[], otherFeatures: number): TextPlan {
  const names = texts.map((column) => column.name);
  const corpora = texts.map((summary) => corpusFacts(table, summary.name));
  const tokens = corpora.reduce((sum, facts) => sum + Math.min(DEFAULT_MAX_TOKENS, facts.frequent), 0);
  const facts = corpora.map(
    (corpus) =>
      `"${corpus.column}" (${corpus.documents} documents, a median of ${quantile(corpus.lengths, 0.5)} words, ${corpus.distinct} distinct words, ${Math.min(DEFAULT_MAX_TOKENS, corpus.frequent)} in ${PLANNED_MIN_COUNT} documents or more)`,
  );
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
    ...(corpora.length === 1 ? { corpus: corpora[0] } : {}),
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
