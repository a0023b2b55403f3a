"""tf.keras layers for sequences and images in graph mode: Conv1D, MaxPooling1D, global
pooling, LeakyReLU, Embedding in a functional model; layer names, output shapes, weight order,
predict, fit with validation (history keys and values), evaluate and metric names."""
from _compat import TENSORFLOW, report, tolerance

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
rng = np.random.RandomState(1)


def seeded_weights(model, scale=0.4):
    model.set_weights([rng.uniform(-scale, scale, w.shape).astype(np.float32)
                       for w in model.get_weights()])


# -- a 1-D convolutional classifier --------------------------------------------------------------
signals = rng.randn(6, 10, 2).astype(np.float32)
classes = np.eye(3, dtype=np.float32)[rng.randint(0, 3, size=6)]
conv = K.Sequential([
    K.layers.Conv1D(4, 3, padding="same", input_shape=(10, 2)),
    K.layers.LeakyReLU(),
    K.layers.MaxPooling1D(),
    K.layers.Conv1D(3, 2, strides=2, activation="relu"),
    K.layers.GlobalMaxPooling1D(),
    K.layers.Dense(3, activation="softmax"),
])
report("conv/layers", [layer.name for layer in conv.layers])
report("conv/shapes", [layer.output_shape for layer in conv.layers])
report("conv/weights", [(w.name, tuple(w.shape.as_list())) for w in conv.weights])
report("conv/count_params", conv.count_params())
seeded_weights(conv)
report("conv/predict", conv.predict(signals))
conv.compile(optimizer=K.optimizers.SGD(0.5, momentum=0.9), loss="categorical_crossentropy",
             metrics=["accuracy", "mae"])
report("conv/metrics_names", conv.metrics_names)
history = conv.fit(signals, classes, batch_size=4, epochs=3, shuffle=False, verbose=0,
                   validation_data=(signals[:3], classes[:3]))
report("conv/history_keys", sorted(history.history))
report("conv/history", {k: v for k, v in history.history.items() if "acc" not in k},
       rtol=1e-3, atol=1e-4)
report("conv/trained", conv.get_weights(), rtol=1e-3, atol=1e-4)
report("conv/evaluate", conv.evaluate(signals, classes, verbose=0), rtol=1e-3, atol=1e-4)

# -- functional: token and image branches merged ----------------------------------------------
tokens = K.Input((5,), name="tokens")
images = K.Input((4, 4, 2), name="images")
embedded = K.layers.Embedding(7, 3)(tokens)
text = K.layers.GlobalAveragePooling1D()(embedded)
feature_map = K.layers.Conv2D(3, 2, activation="relu")(images)
pooled = K.layers.GlobalAveragePooling2D()(feature_map)
peaks = K.layers.GlobalMaxPooling2D()(feature_map)
merged = K.layers.Concatenate()([text, pooled, peaks])
hidden = K.layers.LeakyReLU(alpha=0.1)(K.layers.Dense(4)(merged))
output = K.layers.Dense(1, activation="sigmoid")(hidden)
model = K.Model([tokens, images], output)
report("func/layers", [layer.name for layer in model.layers])
report("func/shapes", [str(t.shape) for t in (embedded, text, feature_map, pooled, peaks,
                                              merged, hidden, output)])
report("func/weights", [(w.name, tuple(w.shape.as_list())) for w in model.weights])
token_ids = rng.randint(0, 7, size=(6, 5))
pictures = rng.randn(6, 4, 4, 2).astype(np.float32)
flags = rng.randint(0, 2, size=(6, 1)).astype(np.float32)
seeded_weights(model)
report("func/predict", model.predict([token_ids, pictures]))
model.compile(optimizer=K.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["acc"])
history = model.fit([token_ids, pictures], flags, batch_size=3, epochs=3, shuffle=False,
                    verbose=0)
report("func/history_loss", history.history["loss"], rtol=1e-3, atol=1e-4)
report("func/trained", model.get_weights(), rtol=1e-3, atol=1e-4)
grads = tf.gradients(model.output, [embedded, images])
session = K.backend.get_session()
report("func/grads", session.run(grads, {tokens: token_ids, images: pictures}),
       rtol=1e-3, atol=1e-4)
