// An example custom model for Topdown: a small dense network on the TF-IDF weights of the e-mails, written
// directly with TensorFlow.js.
//
// A custom model reads dense features, so lower the vocabulary first: with "maxTokens": 2000 on the tfidf op,
// 1,600 training e-mails make a 1,600 × 2,000 matrix (13 MB), well inside the limit Topdown makes dense. Then
// add this candidate to "evaluate.candidates" in topdown.json:
//   { "name": "custom", "model": "custom", "module": "models/custom.js", "options": { "units": 32 }, "epochs": 20, "batchSize": 32, "learningRate": 0.001 }
//
// Topdown calls build() once per fold with:
//   tf          the TensorFlow.js module (whichever backend runs); do not require() tfjs yourself
//   inputShape  the shape of one sample, without the batch axis: [the fold's vocabulary size]
//   outputUnits how many outputs the last layer must have: 2, ham and spam
//   task        "binary" here
//   options     the candidate's "options" from topdown.json (tunable in step 4 as "options.units")
//
// Return an uncompiled tf.LayersModel: Topdown compiles it with the candidate's optimizer, learning rate and
// the task's loss (override with "loss" on the candidate).

exports.build = (tf, { inputShape, outputUnits, options }) => {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape, units: options.units ?? 32, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: options.dropout ?? 0.3 }));
  model.add(tf.layers.dense({ units: outputUnits, activation: 'softmax' }));
  return model;
};
