/**
 * Step 2, Prepare Data: the public face of the preparation pipeline. Everything other modules need is
 * exported from here.
 */
export {
  Pipeline,
  windowSettings,
  PIPELINE_STATE_VERSION,
  type PipelineState,
  type FitOptions,
} from './transformer';
export {
  countSamples,
  prepareFold,
  prepareTargets,
  selectSamples,
  type FoldSamples,
  type PreparedFold,
} from './fold';
export { targetClasses, stratifyLabels } from './target';
export {
  previewCandidatePipelines,
  previewPreparation,
  type PreparePreview,
  type FeatureBefore,
  type FeatureAfter,
} from './preview';
export type { OpState } from './ops';
