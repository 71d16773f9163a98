// An example custom model for Topdown: a two-block convolutional network for the 28×28 clothing images, written
// directly with TensorFlow.js. 'same' padding keeps the size through each convolution; two 2×2 poolings leave a
// 7×7 map.
//
// To try it, add this candidate to "evaluate.candidates" in topdown.json:
//   { "name": "custom", "model": "custom", "module": "models/custom.js", "options": { "filters": [16, 32] }, "epochs": 20 }
//
// Topdown calls build() once per fold with:
//   tf          the TensorFlow.js module (whichever backend runs); do not require() tfjs yourself
//   inputShape  the shape of one sample, without the batch axis: here [28, 28, 1] (rows, cols, channels, from the image op)
//   outputUnits how many outputs the last layer must have: 10, one per kind of clothing
//   task        "binary", "multiclass", "image", "regression" or "time-series"
//   options     the candidate's "options" from topdown.json (tunable in step 4 as "options.filters")
//
// Return an uncompiled tf.LayersModel: Topdown compiles it with the candidate's optimizer, learning rate and
// the task's loss (override with "loss" on the candidate).

/** Output activation for the task: probabilities for classes, a plain number for regression. */
function outputActivation(task, outputUnits) {
  if (task === 'regression' || task === 'time-series') return 'linear';
  return outputUnits === 1 ? 'sigmoid' : 'softmax';
}

exports.build = (tf, { inputShape, outputUnits, task, options }) => {
  const filters = options.filters ?? [16, 32];
  const model = tf.sequential();
  filters.forEach((count, index) => {
    model.add(
      tf.layers.conv2d({
        ...(index === 0 ? { inputShape } : {}),
        filters: count,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: options.dropout ?? 0.2 }));
  model.add(tf.layers.dense({ units: outputUnits, activation: outputActivation(task, outputUnits) }));
  return model;
};
