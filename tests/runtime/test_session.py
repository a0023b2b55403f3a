"""Session.run semantics as TF1 defines them, and errors that leave the session usable."""
import collections
import threading
import warnings

import numpy as np
import pytest

import graphflow as tf
from graphflow.compiler import ir


def test_fetch_structures_round_trip():
    a, b = tf.constant(1.0), tf.constant([2, 3])
    Pair = collections.namedtuple("Pair", "x y")
    noop = tf.no_op()
    with tf.Session() as sess:
        out = sess.run({"p": Pair(a, [b, (a,)]), "op": noop,
                        "od": collections.OrderedDict([("z", b), ("a", a)])})
    assert isinstance(out["p"], Pair) and out["p"].x == 1.0
    assert out["p"].y[0].tolist() == [2, 3] and isinstance(out["p"].y[1], tuple)
    assert out["op"] is None and list(out["od"]) == ["z", "a"]
    assert isinstance(out["p"].x, np.float32)


def test_fetch_and_feed_by_name_and_variable():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.multiply(x, 2.0, name="y")
    v = tf.Variable([1.0, 1.0], name="v")
    with tf.Session() as sess:
        tf.global_variables_initializer()
        sess.run("init")  # an op fetched by name
        assert sess.run("y:0", {"x:0": [1.0, 2.0]}).tolist() == [2.0, 4.0]
        assert sess.run(y, {x: [1.0, 1.0]}).tolist() == [2.0, 2.0]
        assert sess.run(v).tolist() == [1.0, 1.0]
        assert sess.run(v + 1.0, {v: [5.0, 6.0]}).tolist() == [6.0, 7.0]
        assert sess.run("y", {x: [0.0, 0.0]}) is None  # an op name fetches the operation


def test_feeding_an_intermediate_cuts_off_its_producers():
    x = tf.placeholder(tf.float32, [None])
    hidden = x * 3.0
    out = hidden + 1.0
    with tf.Session() as sess:
        assert sess.run(out, {hidden: [1.0, 2.0]}).tolist() == [2.0, 3.0]


def test_each_op_runs_once_per_run_and_variables_persist_per_session():
    counter = tf.Variable(0, name="counter")
    bump = tf.assign_add(counter, 1)
    init = tf.global_variables_initializer()
    with tf.Session() as s1, tf.Session() as s2:
        s1.run(init)
        s2.run(init)
        assert s1.run([bump, bump]) == [1, 1]
        s1.run(bump)
        assert s1.run(counter) == 2 and s2.run(counter) == 0


def test_fetched_arrays_are_fresh():
    c = tf.constant([1.0, 2.0])
    v = tf.Variable([3.0, 4.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        got_c, got_v = sess.run([c, v])
        got_c[0] = got_v[0] = 100.0
        assert sess.run(c).tolist() == [1.0, 2.0] and sess.run(v).tolist() == [3.0, 4.0]


def test_plans_are_cached_per_signature(monkeypatch):
    calls = []
    original = ir.lower
    monkeypatch.setattr(ir, "lower", lambda *a: calls.append(1) or original(*a))
    x = tf.placeholder(tf.float32, [None])
    y = x + 1.0
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(y, {x: [1.0, 2.0]})
        assert len(calls) == 1
        sess.run(y, {x: [1.0, 2.0, 3.0]})
        assert len(calls) == 2


def test_run_is_thread_safe():
    x = tf.placeholder(tf.float64, [None])
    ys = [x * float(k) for k in range(4)]
    failures = []
    with tf.Session() as sess:
        def work(k):
            for i in range(50):
                value = np.arange(i % 7 + 1, dtype=np.float64)
                if not np.array_equal(sess.run(ys[k], {x: value}), value * k):
                    failures.append((k, i))
        threads = [threading.Thread(target=work, args=(k % 4,)) for k in range(8)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    assert not failures


def test_graphs_run_in_their_own_sessions():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(5)
    assert c.graph is g and tf.get_default_graph() is not g
    with tf.Session(graph=g) as sess:
        assert sess.run(c) == 5 and sess.graph is g
    tf.constant(0)  # a Session on an empty graph refuses to run anything, as in TF
    with tf.Session() as other, pytest.raises(ValueError, match="not an element of this graph"):
        other.run(c)


def test_eval_run_default_session_and_interactive_session():
    x = tf.placeholder(tf.int32, [])
    y = x * 2
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert y.eval({x: 4}) == 8
        tf.no_op().run()
    assert tf.get_default_session() is None
    with pytest.raises(ValueError, match="No default session"):
        y.eval({x: 1})
    isess = tf.InteractiveSession()
    try:
        assert y.eval({x: 2}) == 4
    finally:
        isess.close()
    assert tf.get_default_session() is None


def _still_works(sess, tensor, feed=None):
    assert sess.run(tensor, feed) is not None


def test_errors_name_the_culprit_and_leave_the_session_usable():
    x = tf.placeholder(tf.float32, [None, 2], name="inputs")
    v = tf.Variable([1.0, 2.0], name="weights")
    y = x * v
    ok = tf.constant(1.0)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="placeholder tensor 'inputs'"):
            sess.run(y)
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value weights"):
            sess.run(y, {x: [[1.0, 1.0]]})
        sess.run(v.initializer)
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor "
                                             r"inputs:0, which has shape \(\?, 2\)"):
            sess.run(y, {x: [1.0, 2.0, 3.0]})
        with pytest.raises(TypeError, match='Argument `fetch` = None has invalid type "NoneType"'):
            sess.run(None)
        with pytest.raises(TypeError, match="has invalid type"):
            sess.run(3)
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key"):
            sess.run(y, {3: 1.0})
        with pytest.raises(TypeError, match="feed cannot be a tf.Tensor"):
            sess.run(y, {x: ok})
        with pytest.raises(ValueError, match="cannot be interpreted as a Tensor"):
            sess.run("missing:0")
        bad_reshape = tf.reshape(x, [-1, 3])  # [3] alone is rejected at build time, as in TF
        with pytest.raises(tf.errors.InvalidArgumentError, match="Reshape"):
            sess.run(bad_reshape, {x: [[1.0, 2.0]]})
        assert sess.run(y, {x: [[1.0, 1.0]]}).tolist() == [[1.0, 2.0]]
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session"):
        sess.run(ok)


def test_build_time_errors():
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.matmul(tf.zeros([2, 3]), tf.zeros([2, 3]))
    with pytest.raises(TypeError, match="does not match type float32"):
        tf.constant(1.0) + tf.constant(1.0, dtype=tf.float64)
    with pytest.raises(TypeError, match="Expected int32"):
        tf.constant(1.5, dtype=tf.int32)


def test_cycle_is_reported_with_the_ops_involved():
    a = tf.identity(tf.constant(1.0), name="a")
    b = tf.identity(a, name="b")
    a.op._add_control_input(b.op)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="cycle.*a.*b|cycle.*b.*a"):
            sess.run(b)
        assert sess.run(tf.constant(2.0)) == 2.0


def test_control_dependencies_order_updates():
    v = tf.Variable(1.0)
    update = tf.assign(v, 10.0)
    with tf.control_dependencies([update]):
        after = tf.identity(v.read_value())
    with tf.control_dependencies(None):
        free = tf.identity(v.value())
    assert update.op in after.op.control_inputs or update.op in after.op.inputs[0].op.control_inputs
    assert not free.op.control_inputs
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(after) == 10.0


# -- expectations below were checked against tensorflow.compat.v1 -------------------------------
def test_fetch_structures_ops_tensors_duplicates_and_empties():
    k = tf.constant(3)
    v = tf.Variable([1.0, 2.0], name="vv")
    NT = collections.namedtuple("NT", ["x", "y"])
    with tf.Session() as sess:
        # An op before a tensor in one fetch list: each leaf gets its own result slot.
        assert sess.run([v.initializer, v])[0] is None
        assert sess.run([k, k, "Const:0"]) == [3, 3, 3]
        assert sess.run([v, "vv:0", "vv/read:0"])[2].tolist() == [1.0, 2.0]
        assert sess.run("vv") is None and sess.run("vv/Assign") is None
        assert sess.run([]) == [] and sess.run({}) == {} and sess.run(()) == ()
        assert sess.run([[]]) == [[]]
        assert sess.run(({"a": k}, [k])) == ({"a": 3}, [3])
        got = sess.run(NT(k, [k, (k,)]))
        assert isinstance(got, NT) and got.y[1] == (3,)
        assert sess.run({1: k, (2, 3): k}) == {1: 3, (2, 3): 3}
        first, second = sess.run({1: k}), sess.run({True: k})  # equal keys, distinct types
        assert type(list(first)[0]) is int and type(list(second)[0]) is bool
        ordered = sess.run(collections.OrderedDict([("b", k), ("a", v)]))
        assert isinstance(ordered, collections.OrderedDict) and list(ordered) == ["b", "a"]


def test_results_are_numpy_scalars_of_the_right_type():
    with tf.Session() as sess:
        for value, dtype, expected in [(3, None, np.int32), (1.5, None, np.float32),
                                       (1.5, tf.float64, np.float64), (True, None, np.bool_),
                                       (7, tf.int64, np.int64), ("s", None, bytes)]:
            assert type(sess.run(tf.constant(value, dtype))) is expected


def test_feeding_any_tensor_and_fetching_fed_values():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    k = tf.constant(3)
    c = x * 2.0
    d = c + 1.0
    p = tf.placeholder(tf.int32, name="p")
    with tf.Session() as sess:
        # x is not fed: feeding c cuts x off, so it is not needed
        assert sess.run(d, {c: [[5.0, 5.0], [1.0, 1.0]]}).tolist() == [[6.0, 6.0], [2.0, 2.0]]
        assert sess.run(k * 2, {k: 10}) == 20
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(1,\) for Tensor "
                                             r"Const:0, which has shape \(\)"):
            sess.run(k * 2, {k: [10]})
        # A fetched fed tensor comes back as the fed array (a 0-d one stays an array, as in TF).
        fed = sess.run(p, {p: 4})
        assert type(fed) is np.ndarray and fed.shape == () and fed == 4
        assert sess.run(p, {p: 2.7}) == 2 and sess.run(p, {p: [[1]]}).tolist() == [[1]]
        assert sess.run(x, {x: np.zeros((3, 2), np.float64)}).dtype == np.float32
        # Two keys for one tensor: the last wins, as TF's feed_dict processing does.
        assert sess.run(c, {x: [[1.0, 1.0]], "x:0": [[2.0, 2.0]]}).tolist() == [[4.0, 4.0]]
        # A tuple key feeds each tensor from the matching element.
        assert sess.run(p + 1, {(p,): (3,)}) == 4


def test_fetched_arrays_never_alias_feeds_or_each_other():
    x = tf.placeholder(tf.float32, [2])
    same = tf.identity(x)
    data = np.array([1.0, 2.0], np.float32)
    with tf.Session() as sess:
        got_x, got_same = sess.run([x, same], {x: data})
        got_x[0] = got_same[1] = 100.0
        assert data.tolist() == [1.0, 2.0] and got_x is not got_same
        assert sess.run(same, {x: data}).tolist() == [1.0, 2.0]


def test_only_the_needed_subgraph_runs():
    v = tf.Variable(0.0)
    bump = v.assign_add(1.0)
    unfed = tf.placeholder(tf.float32)
    elsewhere = unfed + bump  # needs a feed and runs bump: neither happens unless fetched
    wanted = tf.constant(2.0) * 3.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(wanted) == 6.0 and sess.run(v) == 0.0
        sess.run([bump, bump, bump.op])
        assert sess.run(v) == 1.0  # once per run, however often it is fetched
        assert sess.run(elsewhere, {unfed: 0.0}) == 2.0 and sess.run(v) == 2.0
        assert sess.run([elsewhere, bump], {unfed: 0.0}) == [3.0, 3.0]


def test_plan_cache_counts_and_invalidation(monkeypatch):
    calls = []
    original = ir.lower
    monkeypatch.setattr(ir, "lower", lambda *a: calls.append(1) or original(*a))
    x = tf.placeholder(tf.float32, [None])
    y = x + 1.0
    z = x * 2.0
    with tf.Session() as sess:
        sess.run(y, {x: [1.0]})
        sess.run(y, {x: [5.0]})
        sess.run([y], {x: [5.0]})  # a different structure is a different signature
        sess.run(y, {"Placeholder:0": [5.0]})  # as is a different feed key
        assert len(calls) == 3 and len(sess._signatures) == 3
        sess.run(y, {x: [1.0, 2.0]})  # a new feed shape gets its own plan
        assert len(calls) == 4
        sig = sess._signatures[(y, (x,))]
        assert len(sig.plans) == 2
        plan = sig.plans[((1,),)]
        sess.run(y, {x: [3.0]})
        assert sig.plans[((1,),)] is plan and len(calls) == 4
        sess.run(z, {x: [1.0]})
        assert len(calls) == 5
        # Editing the graph's edges invalidates every cached plan.
        z.op._add_control_input(y.op)
        assert sess.run(z, {x: [1.0]}) == [2.0] and len(calls) == 6
        # So does narrowing a static shape: feeds are checked against the new one.
        x.set_shape([1])
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\)"):
            sess.run(z, {x: [1.0, 2.0]})


def test_concurrent_runs_of_same_and_different_fetches():
    x = tf.placeholder(tf.float32, [None])
    v = tf.Variable(5.0)
    outs = {"double": x * 2.0, "shift": x + v, "sum": tf.reduce_sum(x)}
    failures = []
    with tf.Session() as sess:
        sess.run(v.initializer)

        def work(seed):
            rng = np.random.RandomState(seed)
            for _ in range(30):
                data = rng.rand(rng.randint(1, 5)).astype(np.float32)
                got = sess.run(outs if seed % 2 else [outs["double"], outs["sum"]], {x: data})
                if seed % 2:
                    ok = (np.allclose(got["double"], data * 2) and
                          np.allclose(got["shift"], data + 5) and
                          np.isclose(got["sum"], data.sum()))
                else:
                    ok = np.allclose(got[0], data * 2) and np.isclose(got[1], data.sum())
                if not ok:
                    failures.append(seed)
        threads = [threading.Thread(target=work, args=(seed,)) for seed in range(6)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    assert not failures


def _usable(sess):
    assert sess.run(tf.constant(41) + 1) == 42


def test_fetch_errors_match_tf_and_leave_the_session_usable():
    x = tf.placeholder(tf.float32, name="x")
    y = x * 2.0
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0)
    cases = [
        (None, TypeError, 'Argument `fetch` = None has invalid type "NoneType". Cannot be None'),
        ([y, None], TypeError, 'Argument `fetch` = None has invalid type "NoneType"'),
        (3, TypeError, 'Argument `fetch` = 3 has invalid type "int" must be a string or Tensor. '
                       '(Can not convert a int into a Tensor or Operation.)'),
        ([1.5], TypeError, 'Argument `fetch` = 1.5 has invalid type "float"'),
        ("nope:0", ValueError, "Argument `fetch` = nope:0 cannot be interpreted as a Tensor. "
                               "(\"The name 'nope:0' refers to a Tensor which does not exist. "
                               "The operation, 'nope', does not exist in the graph.\")"),
        ("nope", ValueError, "(\"The name 'nope' refers to an Operation not in the graph.\")"),
        ("mul:7", ValueError, "The operation, 'mul', exists but only has 1 outputs."),
        (foreign, ValueError, 'Argument `fetch` = Tensor("Const:0", shape=(), dtype=float32) '
                              'cannot be interpreted as a Tensor. (Tensor Tensor("Const:0", '
                              'shape=(), dtype=float32) is not an element of this graph.)'),
    ]
    with tf.Session() as sess:
        for fetch, error, message in cases:
            with pytest.raises(error) as info:
                sess.run(fetch, {x: 1.0})
            assert message in str(info.value), fetch
            _usable(sess)


def test_feed_errors_match_tf_and_leave_the_session_usable():
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    n = tf.placeholder(tf.int32, name="n")
    y = x * 2.0
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0)
    cases = [
        ({3: 1.0}, TypeError, "Cannot interpret feed_dict key as Tensor: Can not convert a int "
                              "into a Tensor."),
        ({tf.no_op(name="nn"): 1.0}, TypeError, "Can not convert a Operation into a Tensor."),
        ({"zz:0": 1.0}, TypeError, "Cannot interpret feed_dict key as Tensor: The name 'zz:0' "
                                   "refers to a Tensor which does not exist."),
        ({"x": [[1, 2]]}, TypeError, "The name 'x' refers to an Operation, not a Tensor."),
        ({foreign: 1.0}, TypeError, 'Cannot interpret feed_dict key as Tensor: Tensor '
                                    'Tensor("Const:0", shape=(), dtype=float32) is not an '
                                    'element of this graph.'),
        ({x: tf.constant(1.0)}, TypeError, "The value of a feed cannot be a tf.Tensor object."),
        ({x: [1.0, 2.0]}, ValueError, "Cannot feed value of shape (2,) for Tensor x:0, which "
                                      "has shape (?, 2)"),
        ({x: [[1.0, 2.0, 3.0]]}, ValueError, "Cannot feed value of shape (1, 3)"),
        ({x: [["a", "b"]]}, ValueError, "could not convert string to float"),
        ({x: [[1, 2], [3]]}, ValueError, "inhomogeneous"),
        ({n: None}, TypeError, "int() argument must be"),
        ({n: 2 ** 40}, TypeError, "Type of feed value 1099511627776 with type <class 'int'> is "
                                  "not compatible with Tensor type <class 'numpy.int32'>."),
        ([(x, 1.0)], TypeError, "FlattenDictItems: 'dict' must be a dictionary or "
                                "collection.Mapping type object, instead of 'list'."),
    ]
    with tf.Session() as sess:
        for feed, error, message in cases:
            with pytest.raises(error) as info:
                sess.run(y, feed)
            assert message in str(info.value), feed
            _usable(sess)
        assert sess.run(y, {x: [[1.0, 2.0]]}).tolist() == [[2.0, 4.0]]


def test_run_time_errors_name_the_op_and_leave_the_session_usable():
    x = tf.placeholder(tf.float32, [None, 2], name="inputs")
    n = tf.placeholder(tf.int32, name="count")
    v = tf.Variable([1.0, 2.0], name="weights")
    flat = tf.reshape(x, [-1])
    bad = tf.reshape(x, [-1, 3], name="squash")  # [3]: a build-time error, as in TF
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(n + 1)
        assert str(info.value).startswith("You must feed a value for placeholder tensor 'count' "
                                          "with dtype int32\n")  # no shape: its rank is unknown
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"placeholder tensor 'inputs' with dtype float and shape "
                                 r"\[\?,2\]"):
            sess.run(flat * v)
        with pytest.raises(tf.errors.FailedPreconditionError) as info:
            sess.run(flat * v, {x: [[1.0, 2.0]]})
        assert "Attempting to use uninitialized value weights" in str(info.value)
        assert info.value.error_code == tf.errors.FAILED_PRECONDITION
        assert info.value.op is v.op and info.value.node_def.name == "weights"
        with pytest.raises(tf.errors.InvalidArgumentError, match="squash") as info:
            sess.run(bad, {x: [[1.0, 2.0]]})
        assert info.value.error_code == tf.errors.INVALID_ARGUMENT
        assert info.value.op is bad.op and info.value.node_def.op == "Reshape"
        _usable(sess)
        sess.run(v.initializer)
        assert sess.run(flat * v, {x: [[1.0, 1.0]]}).tolist() == [1.0, 2.0]


def test_feedable_fetchable_and_empty_graph():
    g = tf.Graph()
    with g.as_default():
        with tf.Session() as sess, pytest.raises(RuntimeError, match="The Session graph is empty"):
            sess.run([])
        p = tf.placeholder(tf.float32, [2])
        k = tf.constant(1.0, name="kk")
        g.prevent_feeding(p)
        g.prevent_fetching(k.op)
        assert not g.is_feedable(p) and not g.is_fetchable(k) and g.is_fetchable(p)
        with tf.Session() as sess:
            with pytest.raises(ValueError, match="Tensor Placeholder:0 may not be fed."):
                sess.run(p, {p: [1.0, 2.0]})
            for fetch in (k, "kk"):
                with pytest.raises(tf.errors.InaccessibleTensorError,
                                   match="Operation kk has been marked as not fetchable"):
                    sess.run(fetch)
            assert sess.run(k + 1.0) == 2.0


def test_session_lifetime_defaults_and_properties():
    k = tf.constant(3)
    with pytest.raises(TypeError, match='Argument `graph` must be a tf.Graph, but got "int"'):
        tf.Session(graph=3)
    sess = tf.Session()
    assert sess.graph is tf.get_default_graph() and sess.sess_str == b""
    assert tf.get_default_session() is None
    with sess.as_default():
        assert tf.get_default_session() is sess and k.eval() == 3
    assert tf.get_default_session() is None and sess.run(k) == 3  # as_default does not close
    sess.close()
    sess.close()
    for call in (lambda: sess.run(k), lambda: sess.run([])):
        with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
            call()
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
    with tf.Session(graph=g) as inner:
        assert tf.get_default_graph() is g and tf.get_default_session() is inner
        with pytest.raises(ValueError, match="Cannot use the default session to evaluate "
                                             "tensor: the tensor's graph is different"):
            k.eval()
        assert c.eval() == 1.0
    with pytest.raises(ValueError, match=r"Cannot evaluate tensor using `eval\(\)`: No default "
                                         r"session is registered"):
        k.eval()
    with pytest.raises(ValueError, match=r"Cannot execute operation using `run\(\)`: No default "
                                         r"session is registered"):
        tf.no_op().run()
    with tf.Session() as explicit:
        assert k.eval(session=explicit) == 3


def test_make_callable():
    x = tf.placeholder(tf.float32, [None])
    y = x * 2.0
    with tf.Session() as sess:
        double = sess.make_callable(y, [x])
        assert double([1.0, 2.0]).tolist() == [2.0, 4.0]
        assert sess.make_callable([y, y.op], [x])([1.0])[1] is None


@pytest.mark.parametrize("backend", ["numba", "reference"])
def test_runs_compute_inf_and_nan_silently_and_leave_numpys_error_settings(backend):
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [3])
        y = tf.log(x) / x * 1e38 * 1e38
    sess = tf.Session(graph=graph, config=tf.ConfigProto(backend=backend))
    with np.errstate(all="raise"):  # a user's own setting: runs ignore it, and keep it
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = sess.run(y, {x: np.array([0, 1, 2], np.float32)})
        assert np.geterr()["divide"] == "raise"
        with pytest.raises(FloatingPointError):
            np.log(np.zeros(1))
    assert np.isnan(got[0]) or np.isinf(got[0])
    assert got[1] == 0 and np.isinf(got[2])
