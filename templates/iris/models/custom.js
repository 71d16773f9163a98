// An example custom model for Topdown: the classic 4 → 8 → 3 network for iris, written directly with
// TensorFlow.js, with a choice of hidden activation.
//
// To try it, add this candidate to "evaluate.candidates" in topdown.json:
//   { "name": "custom", "model": "custom", "module": "models/custom.js", "options": { "units": 8, "activation": "tanh" }, "epochs": 150, "batchSize": 16, "learningRate": 0.01 }
//
// Topdown calls build() once per fold with:
//   tf          the TensorFlow.js module (whichever backend runs); do not require() tfjs yourself
//   inputShape  the shape of one sample, without the batch axis: here [4] (standardized measurements)
//   outputUnits how many outputs the last layer must have: 3, one per species
//   task        "binary", "multiclass", "image", "regression" or "time-series"
//   options     the candidate's "options" from topdown.json (tunable in step 4 as "options.units")
//
// Return an uncompiled tf.LayersModel: Topdown compiles it with the candidate's optimizer, learning rate and
// the task's loss (override with "loss" on the candidate).

/** Output activation for the task: probabilities for classes, a plain number for regression. */
function outputActivation(task, outputUnits) {
  if (task === 'regression' || task === 'time-series') return 'linear';
  return outputUnits === 1 ? 'sigmoid' : 'softmax';
}

exports.build = (tf, { inputShape, outputUnits, task, options }) => {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({ inputShape, units: options.units ?? 8, activation: options.activation ?? 'relu' }),
  );
  model.add(tf.layers.dense({ units: outputUnits, activation: outputActivation(task, outputUnits) }));
  return model;
};
