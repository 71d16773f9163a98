/**
 * The embedding candidate of a text plan: a network that reads each document's padded token ids through its own
 * preparation pipeline (a candidate's `prepare`, in place of the project's TF-IDF), sized from the corpus: the
 * vocabulary from the words in enough documents, the sequence length from the distribution of document lengths,
 * the embedding size and the epochs from the amount of data. Each number comes with its reason for the README.
 */
import type { CandidateConfig, PrepareOp } from '../config';
import { PLANNED_MIN_COUNT, type CorpusFacts } from './text';

/** The limits of the planned embedding network. */
export const EMBEDDING_PLAN = {
  /** At most this many tokens: beyond, rare words add embedding rows that few documents train. */
  maxTokens: 10_000,
  /** The share of documents kept whole: the sequence length is this quantile of the token counts. */
  lengthQuantile: 0.9,
  /**
   * Sequence length bounds: the cost grows with it, and a document's first 128 words mostly say what it is (on the
   * spam corpus, 128 scored as 200 and 300 did within a tenth of the fold spread, at a fraction of the time).
   */
  minLength: 16,
  maxLength: 128,
  /** Embedding size bounds (a power of two between them). */
  minDim: 8,
  maxDim: 64,
  batchSize: 64,
  /** Adam steps the planned epochs aim at (each epoch is one pass over a fold's training documents). */
  steps: 600,
  minEpochs: 5,
  maxEpochs: 30,
  learningRate: 0.01,
} as const;

/**
 * The most values the planned embedding network may touch over its epochs (per epoch: every training token's
 * vector forward and back, and one Adam step of the whole embedding per batch), or it is left out. On the spam
 * corpus (4,353 training e-mails per fold: length 128, 16 values per token, 10,000 tokens, 9 epochs) the plan
 * takes about 1.8·10⁸.
 */
export const EMBEDDING_BUDGET = 2e9;

/** The sized embedding candidate, or the reason there is none; `why` explains each number. */
export interface EmbeddingPlan {
  candidate?: CandidateConfig;
  choice: string;
  why: string;
}

/** The smallest power of two at or above `value`, within [low, high]. */
function powerOfTwo(value: number, low: number, high: number): number {
  let power = low;
  while (power < value && power < high) power *= 2;
  return power;
}

/** The value below which `fraction` of the ascending `sorted` values lie (nearest rank); 0 for none. */
export function quantile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

/** The sizes of the planned network, from the corpus and the training documents per fold. */
export function embeddingSizes(
  corpus: CorpusFacts,
  rows: number,
): {
  maxTokens: number;
  /** The length quantile of the words per document, before the bounds. */
  longest: number;
  length: number;
  cut: number;
  embeddingDim: number;
  epochs: number;
  batches: number;
  updates: number;
} {
  const plan = EMBEDDING_PLAN;
  const maxTokens = Math.max(1, Math.min(plan.maxTokens, corpus.frequent));
  const longest = quantile(corpus.lengths, plan.lengthQuantile);
  const length = Math.min(plan.maxLength, Math.max(plan.minLength, longest));
  const cut = corpus.lengths.filter((tokens) => tokens > length).length / Math.max(1, corpus.lengths.length);
  const embeddingDim = powerOfTwo(Math.ceil(maxTokens ** 0.25), plan.minDim, plan.maxDim);
  const batches = Math.max(1, Math.ceil(rows / plan.batchSize));
  const epochs = Math.min(plan.maxEpochs, Math.max(plan.minEpochs, Math.ceil(plan.steps / batches)));
  const updates = epochs * (rows * length * embeddingDim + batches * (maxTokens + 2) * embeddingDim);
  return { maxTokens, longest, length, cut, embeddingDim, epochs, batches, updates };
}

/**
 * The embedding candidate for the text column `column` with its own pipeline: the other kept columns dropped (token ids
 * must be an embedding layer's only input), then `sequences` sized from the corpus. `others` are the kept
 * feature columns beside the text; `rows` the training documents of a fold.
 */
export function planEmbedding(
  column: string,
  corpus: CorpusFacts,
  others: readonly string[],
  rows: number,
): EmbeddingPlan {
  const plan = EMBEDDING_PLAN;
  const sizes = embeddingSizes(corpus, rows);
  const { maxTokens, longest, length, cut, embeddingDim, epochs, updates } = sizes;
  if (updates > EMBEDDING_BUDGET) {
    return {
      choice: 'no embedding network',
      why: `An embedding network over ${rows} documents of ${length} tokens would take ${updates.toExponential(1)} value updates over ${epochs} epochs, beyond the planner's ${EMBEDDING_BUDGET.toExponential(0)}: add one by hand (model "embedding" with its own "prepare") if you can wait.`,
    };
  }
  const prepare: PrepareOp[] = [
    ...(others.length > 0 ? [{ op: 'drop' as const, columns: [...others] }] : []),
    { op: 'sequences', columns: [column], length, maxTokens, minCount: PLANNED_MIN_COUNT },
  ];
  const candidate: CandidateConfig = {
    name: 'embedding',
    model: 'embedding',
    embeddingDim,
    encoder: 'average',
    dropout: 0.2,
    epochs,
    batchSize: plan.batchSize,
    learningRate: plan.learningRate,
    earlyStopping: { patience: 3 },
    prepare,
  };
  const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;
  const dropped =
    others.length > 0
      ? ` It drops ${others.map((name) => `"${name}"`).join(', ')} first: token ids must be an embedding layer's only input.`
      : '';
  return {
    candidate,
    choice: `embedding (own pipeline: sequences of "${column}", ${maxTokens} tokens, length ${length}; ${embeddingDim} values per token, average pooling, ${epochs} epochs)`,
    why:
      `A network that learns a vector per word, reading each document as its token ids rather than as TF-IDF, so it has its own "prepare" in place of the project's (the folds and the baseline stay shared, so its score compares).${dropped} ` +
      `Vocabulary ${maxTokens}: the ${corpus.frequent} distinct words in ${PLANNED_MIN_COUNT} documents or more${corpus.frequent > plan.maxTokens ? `, capped at ${plan.maxTokens} (rarer words get embedding rows that few documents train)` : ''}; other words share the "unknown" id. ` +
      `Length ${length} tokens: ${length === longest ? `the ${Math.round(plan.lengthQuantile * 100)}th percentile of the words per document` : `the ${Math.round(plan.lengthQuantile * 100)}th percentile of the words per document (${longest}) held between ${plan.minLength} and ${plan.maxLength}, since the cost grows with it`}; ${percent(cut)} of the documents are longer and cut there, shorter ones padded with 0. ` +
      `${embeddingDim} values per token: the fourth root of the vocabulary (TensorFlow's rule of thumb for embedding sizes) rounded up to a power of two, between ${plan.minDim} and ${plan.maxDim}. ` +
      `Average pooling makes one vector per document (the cheapest encoder; "conv", "lstm" or "gru" read word order at a higher cost), then dropout 0.2 and the output. ` +
      `${epochs} epochs of batches of ${plan.batchSize}: about ${plan.steps} Adam steps over the ${rows} training documents (${sizes.batches} ${sizes.batches === 1 ? 'batch' : 'batches'} per epoch), between ${plan.minEpochs} and ${plan.maxEpochs}; early stopping (patience 3) ends sooner when held-out loss stops falling; learning rate ${plan.learningRate}.`,
  };
}
