// An example custom model for Topdown: a regression network with batch normalization and L2 weight decay,
// written directly with TensorFlow.js.
//
// To try it, add this candidate to "evaluate.candidates" in topdown.json:
//   { "name": "custom", "model": "custom", "module": "models/custom.js", "options": { "units": [64, 32], "l2": 0.001 }, "epochs": 100, "batchSize": 16 }
//
// Topdown calls build() once per fold with:
//   tf          the TensorFlow.js module (whichever backend runs); do not require() tfjs yourself
//   inputShape  the shape of one sample, without the batch axis: here [9] (6 standardized numbers + 3 origin columns)
//   outputUnits how many outputs the last layer must have: 1 for regression
//   task        "binary", "multiclass", "image", "regression" or "time-series"
//   options     the candidate's "options" from topdown.json (tunable in step 4 as "options.units")
//
// Return an uncompiled tf.LayersModel: Topdown compiles it with the candidate's optimizer, learning rate and
// the task's loss (mean squared error here; override with "loss" on the candidate, e.g. "meanAbsoluteError").

/** Output activation for the task: probabilities for classes, a plain number for regression. */
function outputActivation(task, outputUnits) {
  if (task === 'regression' || task === 'time-series') return 'linear';
  return outputUnits === 1 ? 'sigmoid' : 'softmax';
}

exports.build = (tf, { inputShape, outputUnits, task, options }) => {
  const layers = options.units ?? [64, 32];
  const regularizer = tf.regularizers.l2({ l2: options.l2 ?? 0.001 });
  const model = tf.sequential();
  layers.forEach((units, index) => {
    model.add(
      tf.layers.dense({
        ...(index === 0 ? { inputShape } : {}),
        units,
        kernelRegularizer: regularizer,
      }),
    );
    // Normalizing before the activation keeps the larger layers trainable with a higher learning rate.
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.activation({ activation: 'relu' }));
  });
  model.add(tf.layers.dense({ units: outputUnits, activation: outputActivation(task, outputUnits) }));
  return model;
};
