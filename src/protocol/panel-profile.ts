/** Host → Data profile panel: the profile that `topdown define` wrote. */
import type { DataProfile } from './profile';

/** Host → profile panel. */
export type ProfileMessage =
  /** The whole profile of one define run, with the baseline score that run computed (the number to beat). */
  {
    type: 'profile/snapshot';
    runId: string;
    profile: DataProfile;
    /** The baseline's cross-validated score under the project's metric; absent in older records. */
    baseline?: { mean: number; std: number; metric: string };
  };
