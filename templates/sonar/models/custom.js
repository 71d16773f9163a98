// An example custom model for Topdown: a small multilayer perceptron written directly with TensorFlow.js.
//
// To try it, add this candidate to "evaluate.candidates" in topdown.json:
//   { "name": "custom", "model": "custom", "module": "models/custom.js", "options": { "units": 30 }, "epochs": 100, "batchSize": 5 }
//
// Topdown calls build() once per fold with:
//   tf          the TensorFlow.js module (whichever backend runs: tensorflow, wasm or cpu); do not require() tfjs yourself
//   inputShape  the shape of one sample, without the batch axis: here [60] (the 60 standardized sonar features)
//   outputUnits how many outputs the last layer must have: one per class for classification
//   task        "binary", "multiclass", "image", "regression" or "time-series"
//   options     the candidate's "options" object from topdown.json (tunable in step 4 as "options.units")
//
// Return an uncompiled tf.LayersModel. Topdown compiles it with the candidate's optimizer, learning rate and the
// loss that fits the task (set "loss" on the candidate to override it), then trains and scores it on the same
// folds as every other candidate.

/** Output activation for the task: probabilities for classes, a plain number for regression. */
function outputActivation(task, outputUnits) {
  if (task === 'regression' || task === 'time-series') return 'linear';
  return outputUnits === 1 ? 'sigmoid' : 'softmax';
}

exports.build = (tf, { inputShape, outputUnits, task, options }) => {
  const units = options.units ?? 30;
  const model = tf.sequential();
  // Gorman & Sejnowski's network had one hidden layer; a little dropout helps on 208 rows.
  model.add(tf.layers.dense({ inputShape, units, activation: 'relu', kernelInitializer: 'heNormal' }));
  model.add(tf.layers.dropout({ rate: options.dropout ?? 0.1 }));
  model.add(tf.layers.dense({ units: outputUnits, activation: outputActivation(task, outputUnits) }));
  return model;
};
