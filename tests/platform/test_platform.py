"""tf.app.flags / tf.app.run, tf.logging and tf.gfile, without TensorFlow."""
import logging
import os
import sys

import pytest

import graphflow as tf
from graphflow.platform import flags as flags_module


@pytest.fixture
def flag_values():
    return flags_module.FlagValues()


def test_flags_parse_forms(flag_values):
    flags_module.DEFINE_integer("steps", 10, "steps", flag_values=flag_values)
    flags_module.DEFINE_boolean("shuffle", True, "shuffle", flag_values=flag_values)
    flags_module.DEFINE_float("lr", 0.1, "lr", flag_values=flag_values)
    flags_module.DEFINE_list("sizes", [1], "sizes", flag_values=flag_values)
    rest = flag_values(["prog", "--steps", "5", "--noshuffle", "a", "-lr=0.5",
                        "--sizes=3,4", "--", "--steps=9"])
    assert rest == ["prog", "a", "--steps=9"]
    assert (flag_values.steps, flag_values.shuffle, flag_values.lr, flag_values.sizes) == \
        (5, False, 0.5, ["3", "4"])
    assert flag_values["steps"].present == 1
    with pytest.raises(flags_module.IllegalFlagValueError):
        flag_values(["prog", "--steps=x"])
    with pytest.raises(flags_module.UnrecognizedFlagError):
        flag_values(["prog", "--unknown"])
    assert flag_values(["prog", "--unknown", "--steps=2"], known_only=True) == ["prog",
                                                                                "--unknown"]


def test_flags_bounds_enum_and_old_keyword_names(flag_values):
    flags_module.DEFINE_integer("n", 1, "n", lower_bound=0, flag_values=flag_values)
    flags_module.DEFINE_enum("mode", "a", ["a", "b"], "mode", flag_values=flag_values)
    flags_module.DEFINE_string(flag_name="path", default_value="/x", docstring="p",
                               flag_values=flag_values)
    with pytest.raises(flags_module.IllegalFlagValueError):
        flag_values(["prog", "--n=-1"])
    with pytest.raises(flags_module.IllegalFlagValueError):
        flag_values(["prog", "--mode=c"])
    with pytest.raises(flags_module.DuplicateFlagError):
        flags_module.DEFINE_integer("n", 2, "again", flag_values=flag_values)
    assert flag_values["path"].value == "/x" and flag_values["path"].help == "p"


def test_flags_read_before_parse_parses_sys_argv(flag_values, monkeypatch):
    flags_module.DEFINE_integer("k", 1, "k", flag_values=flag_values)
    monkeypatch.setattr(sys, "argv", ["prog", "--k=7"])
    assert flag_values.k == 7 and flag_values.is_parsed()
    with pytest.raises(AttributeError):
        flag_values.missing


def test_app_run_parses_flags_calls_main_and_exits_with_its_value(monkeypatch):
    tf.app.flags.DEFINE_integer("unit_test_app_flag", 3, "for test_app_run")
    seen = []

    def main(argv):
        seen.append((list(argv), tf.app.flags.FLAGS.unit_test_app_flag))
        return 4
    with pytest.raises(SystemExit) as exit_info:
        tf.app.run(main=main, argv=["prog", "--unit_test_app_flag=9", "extra", "--other=1"])
    assert exit_info.value.code == 4
    assert seen == [(["prog", "extra", "--other=1"], 9)]
    with pytest.raises(SystemExit) as exit_info:
        tf.app.run(main=main, argv=["prog", "--unit_test_app_flag=bad"])
    assert exit_info.value.code == 1


def test_app_run_help_exits_zero(capsys):
    with pytest.raises(SystemExit) as exit_info:
        tf.app.run(main=lambda argv: 0, argv=["prog", "--help"])
    assert exit_info.value.code == 0
    # the usage line; the flags listed under it are whatever other tests defined
    assert "USAGE: prog [flags]" in capsys.readouterr().out


def test_logging_levels_and_counters(caplog):
    assert tf.logging.WARN == logging.WARN and tf.logging.FATAL == logging.FATAL
    previous = tf.logging.get_verbosity()
    try:
        tf.logging.set_verbosity(tf.logging.INFO)
        assert tf.logging.get_verbosity() == tf.logging.INFO
        with caplog.at_level(logging.INFO, logger="tensorflow"):
            tf.logging.info("step %d", 3)
            tf.logging.debug("hidden")
            for i in range(5):
                tf.logging.log_every_n(tf.logging.INFO, "every %d", 2, i)
            for i in range(5):
                tf.logging.log_first_n(tf.logging.WARN, "first %d", 2, i)
            tf.logging.warn("warned")
        messages = [r.getMessage() for r in caplog.records if r.name == "tensorflow"]
        assert messages == ["step 3", "every 0", "every 2", "every 4", "first 0", "first 1",
                            "warned"]
    finally:
        tf.logging.set_verbosity(previous)


def test_gfile_round_trip_and_errors(tmp_path):
    root = str(tmp_path)
    path = os.path.join(root, "d", "f.txt")
    tf.gfile.MakeDirs(os.path.dirname(path))
    with tf.gfile.GFile(path, "w") as f:
        f.write("a\nb\n")
    assert list(tf.gfile.GFile(path)) == ["a\n", "b\n"]
    assert tf.io.gfile.GFile(path, "rb").read() == b"a\nb\n"
    assert tf.gfile.ListDirectory(os.path.dirname(path)) == ["f.txt"]
    assert tf.gfile.Stat(path).length == 4
    with pytest.raises(tf.errors.AlreadyExistsError):
        tf.gfile.Copy(path, path)
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.GFile(os.path.join(root, "missing")).read()
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.Remove(os.path.join(root, "missing"))
    with pytest.raises(tf.errors.NotFoundError):
        tf.gfile.MkDir(os.path.join(root, "x", "y"))
    assert [os.path.relpath(p, root) for p, _, _ in tf.gfile.Walk(root)] == [".", "d"]
    tf.gfile.DeleteRecursively(os.path.join(root, "d"))
    assert not tf.gfile.Exists(os.path.join(root, "d"))
