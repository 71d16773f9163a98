/** LSTM recurrent network for time series. */
import { recurrentSpec } from './recurrent';

/** The `lstm` kind. */
export const lstm = recurrentSpec('lstm', 'LSTM recurrent network (time series; needs a window op).');
