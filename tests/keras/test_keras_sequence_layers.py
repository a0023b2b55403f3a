"""tf.keras sequence layers checked against numpy recurrences (no TensorFlow needed)."""
import numpy as np
import pytest

import graphflow as tf

K = tf.keras


@pytest.fixture(autouse=True)
def fresh_graph():
    K.backend.clear_session()
    yield
    K.backend.clear_session()


def hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def numpy_lstm(x, kernel, recurrent, bias):
    units = recurrent.shape[0]
    h = np.zeros((x.shape[0], units), np.float32)
    c = np.zeros_like(h)
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent + bias
        i, f = hard_sigmoid(z[:, :units]), hard_sigmoid(z[:, units:2 * units])
        c = f * c + i * np.tanh(z[:, 2 * units:3 * units])
        h = hard_sigmoid(z[:, 3 * units:]) * np.tanh(c)
    return h, c


def numpy_gru(x, kernel, recurrent, bias, reset_after):
    units = recurrent.shape[0]
    h = np.zeros((x.shape[0], units), np.float32)
    in_bias, rec_bias = (bias[0], bias[1]) if reset_after else (bias, np.zeros_like(bias))
    for t in range(x.shape[1]):
        xz = x[:, t] @ kernel + in_bias
        hz = h @ recurrent[:, :2 * units] + rec_bias[:2 * units]
        z = hard_sigmoid(xz[:, :units] + hz[:, :units])
        r = hard_sigmoid(xz[:, units:2 * units] + hz[:, units:])
        if reset_after:
            cand = np.tanh(xz[:, 2 * units:] + r * (h @ recurrent[:, 2 * units:] +
                                                     rec_bias[2 * units:]))
        else:
            cand = np.tanh(xz[:, 2 * units:] + (r * h) @ recurrent[:, 2 * units:])
        h = z * h + (1 - z) * cand
    return h


def seeded(model, rng):
    weights = [rng.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(weights)
    return weights


def test_lstm_matches_the_keras_gate_order_and_returns_states():
    rng = np.random.RandomState(0)
    x = rng.randn(3, 4, 2).astype(np.float32)
    inputs = K.Input((4, 2))
    output, state_h, state_c = K.layers.LSTM(3, return_state=True)(inputs)
    model = K.Model(inputs, [output, state_h, state_c])
    assert [w.name for w in model.weights] == [
        "lstm/lstm_cell/kernel:0", "lstm/lstm_cell/recurrent_kernel:0", "lstm/lstm_cell/bias:0"]
    assert model.layers[1].output_shape == [(None, 3), (None, 3), (None, 3)]
    weights = seeded(model, rng)
    got = model.predict(x)
    want_h, want_c = numpy_lstm(x, *weights)
    np.testing.assert_allclose(got[0], want_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], want_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[2], want_c, rtol=1e-5, atol=1e-6)


def test_lstm_forget_bias_starts_at_one():
    model = K.Sequential([K.layers.LSTM(2, input_shape=(3, 1))])
    np.testing.assert_array_equal(model.get_weights()[2], [0, 0, 1, 1, 0, 0, 0, 0])


@pytest.mark.parametrize("reset_after", [False, True])
def test_gru_both_bias_layouts(reset_after):
    rng = np.random.RandomState(1)
    x = rng.randn(2, 5, 3).astype(np.float32)
    model = K.Sequential([K.layers.GRU(4, reset_after=reset_after, input_shape=(5, 3))])
    assert model.weights[2].shape.as_list() == ([2, 12] if reset_after else [12])
    weights = seeded(model, rng)
    np.testing.assert_allclose(model.predict(x), numpy_gru(x, *weights, reset_after),
                               rtol=1e-5, atol=1e-6)


def test_go_backwards_and_bidirectional_reverse_the_sequence():
    rng = np.random.RandomState(2)
    x = rng.randn(2, 4, 2).astype(np.float32)
    inputs = K.Input((4, 2))
    forward = K.layers.SimpleRNN(2, return_sequences=True)
    backward = K.layers.SimpleRNN(2, return_sequences=True, go_backwards=True)
    both = K.layers.Bidirectional(K.layers.SimpleRNN(2, return_sequences=True))
    model = K.Model(inputs, [forward(inputs), backward(inputs), both(inputs)])
    assert [w.name for w in both.weights][0] == \
        "bidirectional/forward_simple_rnn_2/simple_rnn_cell/kernel:0"
    weights = seeded(model, rng)
    fwd, bwd, bidi = model.predict(x)

    def simple_rnn(seq, kernel, recurrent, bias):
        h, outs = np.zeros((2, 2), np.float32), []
        for t in range(seq.shape[1]):
            h = np.tanh(seq[:, t] @ kernel + h @ recurrent + bias)
            outs.append(h)
        return np.stack(outs, 1)

    np.testing.assert_allclose(fwd, simple_rnn(x, *weights[0:3]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bwd, simple_rnn(x[:, ::-1], *weights[3:6]), rtol=1e-5,
                               atol=1e-6)
    want = np.concatenate([simple_rnn(x, *weights[6:9]),
                           simple_rnn(x[:, ::-1], *weights[9:12])[:, ::-1]], -1)
    np.testing.assert_allclose(bidi, want, rtol=1e-5, atol=1e-6)


def test_lstm_trains_through_the_while_loop():
    rng = np.random.RandomState(3)
    x = rng.randn(8, 5, 2).astype(np.float32)
    y = x.sum(axis=(1, 2))[:, None] * 0.1
    model = K.Sequential([K.layers.LSTM(4, input_shape=(5, 2)), K.layers.Dense(1)])
    model.compile(K.optimizers.Adam(0.05), "mse")
    history = model.fit(x, y, epochs=20, batch_size=8, shuffle=False, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] * 0.5


def test_time_distributed_embedding_and_pooling_shapes():
    tokens = K.Input((6,))
    embedded = K.layers.Embedding(10, 4)(tokens)
    steps = K.layers.TimeDistributed(K.layers.Dense(3))(embedded)
    conv = K.layers.Conv1D(2, 3, padding="same")(steps)
    pooled = K.layers.MaxPooling1D()(conv)
    flat = K.layers.GlobalAveragePooling1D()(pooled)
    out = K.layers.LeakyReLU()(flat)
    model = K.Model(tokens, out)
    assert [K.backend.int_shape(t) for t in (embedded, steps, conv, pooled, flat, out)] == [
        (None, 6, 4), (None, 6, 3), (None, 6, 2), (None, 3, 2), (None, 2), (None, 2)]
    assert [w.name for w in model.weights][1:3] == ["time_distributed/kernel:0",
                                                     "time_distributed/bias:0"]
    assert model.layers[-1].name == "leaky_re_lu"
    assert model.predict(np.zeros((2, 6))).shape == (2, 2)


def test_functional_layers_are_ordered_by_depth_like_keras():
    inputs = K.Input((5, 3))
    deep = K.layers.MaxPooling1D()(K.layers.Conv1D(2, 2)(inputs))
    shallow = K.layers.GlobalAveragePooling1D()(inputs)
    model = K.Model(inputs, [shallow, deep])
    assert [layer.name for layer in model.layers] == [
        "input_1", "conv1d", "global_average_pooling1d", "max_pooling1d"]


def test_metric_aliases_report_full_names_and_evaluate_gives_float32():
    model = K.Sequential([K.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse", metrics=["mae"])
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0,
                        validation_data=(np.ones((2, 2)), np.ones((2, 1))))
    assert sorted(history.history) == ["loss", "mean_absolute_error", "val_loss",
                                       "val_mean_absolute_error"]
    assert all(type(v) is float for v in history.history["val_loss"])
    assert all(type(v) is np.float32 for v in model.evaluate(np.ones((4, 2)), np.ones((4, 1)),
                                                             verbose=0))
