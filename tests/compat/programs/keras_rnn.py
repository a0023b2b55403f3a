"""tf.keras recurrent models in graph mode: Embedding, SimpleRNN, LSTM, GRU (both bias
layouts), return_sequences / return_state / go_backwards, initial_state, Bidirectional and
TimeDistributed: weight names and shapes, output shapes, predict, gradients, fit and evaluate
with weights set from seeded numpy arrays."""
from _compat import TENSORFLOW, report, report_error, tolerance

if TENSORFLOW:
    import os
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")  # TF1-mode tf.keras is tf_keras
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf
import numpy as np

tolerance(rtol=1e-4, atol=1e-5)
K = tf.keras
rng = np.random.RandomState(0)


def seeded_weights(model, scale=0.4):
    model.set_weights([rng.uniform(-scale, scale, w.shape).astype(np.float32)
                       for w in model.get_weights()])


def describe(prefix, model):
    report(prefix + "/weights", [(w.name, tuple(w.shape.as_list())) for w in model.weights])
    report(prefix + "/layers", [layer.name for layer in model.layers])
    report(prefix + "/output_shape", model.output_shape)
    report(prefix + "/count_params", model.count_params())


# -- a Sequential text classifier ------------------------------------------------------------
tokens = rng.randint(0, 12, size=(8, 6))
labels = rng.randint(0, 2, size=(8,))
classifier = K.Sequential([
    K.layers.Embedding(12, 4, input_length=6),
    K.layers.LSTM(5, return_sequences=True),
    K.layers.GRU(3),
    K.layers.Dense(2, activation="softmax"),
])
describe("seq", classifier)
report("seq/layer_shapes", [layer.output_shape for layer in classifier.layers])
seeded_weights(classifier)
report("seq/predict", classifier.predict(tokens))
classifier.compile(optimizer=K.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                   metrics=["accuracy"])
history = classifier.fit(tokens, labels, batch_size=4, epochs=3, shuffle=False, verbose=0)
report("seq/history_loss", history.history["loss"])
report("seq/trained", classifier.get_weights(), rtol=1e-3, atol=1e-4)
report("seq/evaluate", classifier.evaluate(tokens, labels, verbose=0), rtol=1e-3, atol=1e-4)

# -- functional: states, reversed sequences, both GRU bias layouts -----------------------------
sequences = rng.randn(4, 5, 3).astype(np.float32)
inputs = K.Input((5, 3))
encoded, state_h, state_c = K.layers.LSTM(4, return_state=True)(inputs)
backwards = K.layers.SimpleRNN(3, return_sequences=True, go_backwards=True,
                               activation="relu")(inputs)
gru_after = K.layers.GRU(2, reset_after=True, recurrent_activation="sigmoid")(inputs)
decoded = K.layers.LSTM(4, return_sequences=True)(inputs, initial_state=[state_h, state_c])
both = K.layers.Bidirectional(K.layers.GRU(2, return_sequences=True))(inputs)
summed = K.layers.Bidirectional(K.layers.SimpleRNN(2), merge_mode="sum")(inputs)
per_step = K.layers.TimeDistributed(K.layers.Dense(2, activation="tanh"))(decoded)
outputs = [encoded, state_h, state_c, backwards, gru_after, decoded, both, summed, per_step]
model = K.Model(inputs, outputs)
describe("func", model)
report("func/output_names_static", [str(t.shape) for t in outputs])
seeded_weights(model)
report("func/predict", model.predict(sequences))

total = tf.add_n([tf.reduce_sum(t * t) for t in outputs])
grads = tf.gradients(total, model.trainable_weights + [inputs])
session = K.backend.get_session()
report("func/grads", session.run(grads, {inputs: sequences}), rtol=1e-3, atol=1e-4)

# -- a regression fit through a bidirectional LSTM -------------------------------------------
targets = rng.randn(4, 1).astype(np.float32)
regressor = K.Sequential([
    K.layers.Bidirectional(K.layers.LSTM(3), input_shape=(5, 3)),
    K.layers.Dense(1),
])
describe("bidi", regressor)
seeded_weights(regressor)
regressor.compile(optimizer=K.optimizers.SGD(0.1), loss="mse")
history = regressor.fit(sequences, targets, batch_size=2, epochs=3, shuffle=False, verbose=0)
report("bidi/history_loss", history.history["loss"], rtol=1e-3, atol=1e-4)
report("bidi/trained", regressor.get_weights(), rtol=1e-3, atol=1e-4)
report("bidi/predict", regressor.predict(sequences), rtol=1e-3, atol=1e-4)

report_error("bad_rank", lambda: K.layers.LSTM(2)(K.Input((4,))))
report_error("bad_units", lambda: K.layers.SimpleRNN(0))
