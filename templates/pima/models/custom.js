// An example custom model for Topdown: a "wide and deep" network written directly with TensorFlow.js. The
// deep path learns feature interactions; the wide path is a plain logistic regression on the same inputs.
// Adding the two lets the network fall back on the linear model, which is hard to beat on this dataset.
//
// To try it, add this candidate to "evaluate.candidates" in topdown.json:
//   { "name": "wide-deep", "model": "custom", "module": "models/custom.js", "options": { "units": 16 }, "epochs": 60 }
//
// Topdown calls build() once per fold with:
//   tf          the TensorFlow.js module (whichever backend runs); do not require() tfjs yourself
//   inputShape  the shape of one sample, without the batch axis: here [8] (imputed, standardized features)
//   outputUnits how many outputs the last layer must have: one per class for classification
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
  const units = options.units ?? 16;
  const input = tf.input({ shape: inputShape });
  const hidden = tf.layers.dense({ units, activation: 'relu' }).apply(input);
  const deep = tf.layers.dense({ units: outputUnits }).apply(hidden);
  const wide = tf.layers.dense({ units: outputUnits }).apply(input);
  const logits = tf.layers.add().apply([deep, wide]);
  const output = tf.layers.activation({ activation: outputActivation(task, outputUnits) }).apply(logits);
  return tf.model({ inputs: input, outputs: output });
};
