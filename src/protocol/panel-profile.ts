/** Host → Data profile panel: the profile that `topdown define` wrote. */
import type { DataProfile } from './profile';

/** Host → profile panel. */
export type ProfileMessage =
  /** The whole profile of one define run. */
  { type: 'profile/snapshot'; runId: string; profile: DataProfile };
