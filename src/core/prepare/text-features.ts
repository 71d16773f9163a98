/**
 * Model-ready features when text ops ran: sparse features (tfidf, counts) side by side with the numeric columns
 * as one CSR matrix, or the padded token ids of `sequences`, which feed an embedding layer and so must be the only
 * features.
 */
import { TopdownError } from '../errors';
import { denseToCsr, hstackCsr, type CsrMatrix } from '../sparse';
import type { BlockFrameColumn, NumericFrameColumn, OpContext, SparseFrameColumn } from './frame';

/** A feature column after every op: numbers, or a block the text ops made. */
export type FeatureColumn = NumericFrameColumn | SparseFrameColumn | BlockFrameColumn;

/** The names of the model-ready features one column makes. */
export function featureNamesOf(column: FeatureColumn): string[] {
  return column.kind === 'numeric' ? [column.name] : column.featureNames;
}

/** The numeric feature columns (windows and images read only these: no text op may feed them). */
export function numericOnly(features: FeatureColumn[], context: OpContext): NumericFrameColumn[] {
  const block = features.find((column) => column.kind !== 'numeric');
  if (block && context.task === 'time-series') {
    throw new TopdownError(
      'PREPARE_INVALID',
      `Text features ("${block.name}") do not go into time-series windows.`,
      {
        file: context.file,
        column: block.name,
        field: '/prepare',
        hint: 'Drop the text column from a time-series project.',
      },
    );
  }
  return features.filter((column): column is NumericFrameColumn => column.kind === 'numeric');
}

/** x and its shape for features that include text blocks, or undefined when every feature is numeric. */
export function textInputs(
  features: FeatureColumn[],
  sampleCount: number,
  context: OpContext,
): { x: Float32Array; xShape: number[]; sparse?: CsrMatrix; tokenIds?: number } | undefined {
  if (features.every((column) => column.kind === 'numeric')) return undefined;
  const block = features.find((column): column is BlockFrameColumn => column.kind === 'block');
  if (block) {
    const other = features.find((column) => column !== block);
    if (other) {
      throw new TopdownError(
        'PREPARE_INVALID',
        `sequences: the token ids of "${block.name}" feed an embedding layer and must be the only features, but "${other.name}" is one too.`,
        {
          file: context.file,
          column: other.name,
          field: '/prepare',
          hint: `Drop "${other.name}" ({"op": "drop", "columns": ["${other.name}"]}), or use {"op": "tfidf"} instead of sequences to keep both.`,
        },
      );
    }
    return { x: block.values, xShape: [sampleCount, block.width], tokenIds: block.tokenIds };
  }
  const blocks = features.map((column) =>
    column.kind === 'sparse'
      ? column.matrix
      : denseToCsr((column as NumericFrameColumn).values, sampleCount, 1),
  );
  const sparse = hstackCsr(blocks);
  return { x: new Float32Array(0), xShape: [sampleCount, sparse.cols], sparse };
}
