/** Step 4 (Improve Results), the pure core: search spaces, verdicts, ensembles and the learning-curve advisor. */
export * from './types';
export { resolveImproveConfig, improveDefaults, type ResolvedImproveConfig } from './validate';
export {
  applyConfiguration,
  gridConfigurations,
  gridSize,
  halvingSchedule,
  maxGridPoints,
  randomConfigurations,
  selectTop,
  validateSearchSpace,
} from './search';
export { combinePredictions, validateEnsembles } from './ensemble';
export * from './verdicts';
export * from './ensembleVerdict';
export * from './advisor';
