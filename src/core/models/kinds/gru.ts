/** GRU recurrent network for time series. */
import { recurrentSpec } from './recurrent';

/** The `gru` kind. */
export const gru = recurrentSpec('gru', 'GRU recurrent network (time series; needs a window op).');
