// An example custom model for Topdown: a stacked GRU forecaster written directly with TensorFlow.js.
//
// To try it, add this candidate to "evaluate.candidates" in topdown.json:
//   { "name": "custom", "model": "custom", "module": "models/custom.js", "options": { "units": [32, 16] }, "epochs": 100, "batchSize": 8 }
//
// Topdown calls build() once per fold with:
//   tf          the TensorFlow.js module (whichever backend runs); do not require() tfjs yourself
//   inputShape  the shape of one sample, without the batch axis: here [12, 1] (12 months of scaled passengers)
//   outputUnits how many values to forecast (the window op's horizon, 1 here)
//   task        "binary", "multiclass", "image", "regression" or "time-series"
//   options     the candidate's "options" from topdown.json (tunable in step 4 as "options.units")
//
// Return an uncompiled tf.LayersModel: Topdown compiles it with the candidate's optimizer, learning rate and
// the task's loss (mean squared error on the scaled series; override with "loss" on the candidate). Scores
// are computed after scaling back to passengers.

/** Output activation for the task: probabilities for classes, a plain number for forecasts. */
function outputActivation(task, outputUnits) {
  if (task === 'regression' || task === 'time-series') return 'linear';
  return outputUnits === 1 ? 'sigmoid' : 'softmax';
}

exports.build = (tf, { inputShape, outputUnits, task, options }) => {
  const layers = options.units ?? [32, 16];
  const model = tf.sequential();
  layers.forEach((units, index) => {
    model.add(
      tf.layers.gru({
        ...(index === 0 ? { inputShape } : {}),
        units,
        // Every layer but the last passes the whole sequence on to the next recurrent layer.
        returnSequences: index < layers.length - 1,
      }),
    );
  });
  model.add(tf.layers.dense({ units: outputUnits, activation: outputActivation(task, outputUnits) }));
  return model;
};
