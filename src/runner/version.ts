/** Topdown's version, from package.json (bundled at build time). */
import manifest from '../../package.json';

/** The version recorded in every run and model bundle. */
export const TOPDOWN_VERSION: string = manifest.version;
