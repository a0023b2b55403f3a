"""tf.gfile / tf.io.gfile on a temporary directory (results and TF's error classes),
tf.io.read_file / write_file ops, tf.app.flags parsing, and tf.logging levels."""
import os
import tempfile

from _compat import TENSORFLOW, report, report_error

if TENSORFLOW:
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import graphflow as tf

root = tempfile.mkdtemp()


def rel(path):
    return os.path.relpath(path, root)


def outcome(fn):
    try:
        result = fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return result


g = tf.gfile
j = os.path.join
report("mkdir_missing_parent", outcome(lambda: g.MkDir(j(root, "a/b"))))
report("mkdir", outcome(lambda: g.MkDir(j(root, "a"))))
report("mkdir_again", outcome(lambda: g.MkDir(j(root, "a"))))
report("makedirs", outcome(lambda: g.MakeDirs(j(root, "a/b/c"))))
report("makedirs_again", outcome(lambda: g.MakeDirs(j(root, "a/b/c"))))
report("read_missing", outcome(lambda: g.GFile(j(root, "nope.txt")).read()))
report("write_missing_dir", outcome(lambda: g.GFile(j(root, "zz/f.txt"), "w").write("x")))
with g.GFile(j(root, "a/f.txt"), "w") as f:
    f.write("line1\nline2\n")
    f.write(b"bytes\n")
report("read", g.GFile(j(root, "a/f.txt")).read())
report("read_binary", g.GFile(j(root, "a/f.txt"), "rb").read())
report("readlines", g.GFile(j(root, "a/f.txt")).readlines())
report("iterate", list(g.GFile(j(root, "a/f.txt"))))
report("readline", g.GFile(j(root, "a/f.txt")).readline())
report("size", g.GFile(j(root, "a/f.txt")).size())
report("read_3", g.GFile(j(root, "a/f.txt")).read(3))
report("fast_gfile", g.FastGFile(j(root, "a/f.txt"), "r").read())
report("open", g.Open(j(root, "a/f.txt")).read())
report("exists", [g.Exists(j(root, "a/f.txt")), g.Exists(j(root, "q"))])
report("isdir", [g.IsDirectory(j(root, "a")), g.IsDirectory(j(root, "a/f.txt")),
                 g.IsDirectory(j(root, "q"))])
report("listdir", sorted(g.ListDirectory(j(root, "a"))))
report("listdir_missing", outcome(lambda: g.ListDirectory(j(root, "q"))))
report("glob", [rel(p) for p in sorted(g.Glob(j(root, "a/*")))])
report("glob_none", g.Glob(j(root, "zz/*")))
report("copy", outcome(lambda: g.Copy(j(root, "a/f.txt"), j(root, "a/g.txt"))))
report("copy_exists", outcome(lambda: g.Copy(j(root, "a/f.txt"), j(root, "a/g.txt"))))
report("copy_overwrite", outcome(lambda: g.Copy(j(root, "a/f.txt"), j(root, "a/g.txt"),
                                                overwrite=True)))
report("copy_missing", outcome(lambda: g.Copy(j(root, "a/nope"), j(root, "a/h.txt"))))
report("rename", outcome(lambda: g.Rename(j(root, "a/g.txt"), j(root, "a/h.txt"))))
report("rename_exists", outcome(lambda: g.Rename(j(root, "a/f.txt"), j(root, "a/h.txt"))))
report("rename_overwrite", outcome(lambda: g.Rename(j(root, "a/h.txt"), j(root, "a/f2.txt"),
                                                    overwrite=True)))
report("rename_missing", outcome(lambda: g.Rename(j(root, "a/nope"), j(root, "a/x"))))
stat = g.Stat(j(root, "a/f.txt"))
report("stat", [stat.length, g.Stat(j(root, "a")).is_directory, type(stat.mtime_nsec).__name__])
report("stat_missing", outcome(lambda: g.Stat(j(root, "q"))))
report("walk", [(rel(p), sorted(s), sorted(f)) for p, s, f in g.Walk(root)])
report("walk_bottom_up", [rel(p) for p, _, _ in g.Walk(root, in_order=False)])
report("walk_missing", list(g.Walk(j(root, "q"))))
report("remove_missing", outcome(lambda: g.Remove(j(root, "q"))))
report("remove_directory", outcome(lambda: g.Remove(j(root, "a/b/c"))))
report("remove", outcome(lambda: g.Remove(j(root, "a/f2.txt"))))
report("makedirs_over_file", outcome(lambda: g.MakeDirs(j(root, "a/f.txt"))))
report("rmtree_missing", outcome(lambda: g.DeleteRecursively(j(root, "q"))))
report("rmtree", outcome(lambda: g.DeleteRecursively(j(root, "a"))))
report("exists_after_rmtree", g.Exists(j(root, "a")))
for piece in "12":
    with g.GFile(j(root, "append.txt"), "a") as f:
        f.write(piece)
handle = g.GFile(j(root, "append.txt"))
report("append_seek_tell", [handle.read(1), handle.tell(), handle.seek(0), handle.read()])
report("write_read_only", outcome(lambda: g.GFile(j(root, "append.txt")).write("x")))
report("read_write_only", outcome(lambda: g.GFile(j(root, "append.txt"), "w").read()))

io = tf.io.gfile
io.makedirs(j(root, "v2/sub"))
with io.GFile(j(root, "v2/sub/data.bin"), "wb") as f:
    f.write(b"\x00\x01two")
report("v2", [io.exists(j(root, "v2/sub/data.bin")), io.isdir(j(root, "v2")),
              io.listdir(j(root, "v2")), io.stat(j(root, "v2/sub/data.bin")).length,
              [rel(p) for p in io.glob(j(root, "v2/*/*.bin"))],
              io.join("a", "b", "c")])
io.copy(j(root, "v2/sub/data.bin"), j(root, "v2/copy.bin"))
io.rename(j(root, "v2/copy.bin"), j(root, "v2/moved.bin"))
io.remove(j(root, "v2/moved.bin"))
report("v2_after", sorted(io.listdir(j(root, "v2"))))
io.rmtree(j(root, "v2"))
report("v2_gone", io.exists(j(root, "v2")))

# file ops in the graph
source = j(root, "source.txt")
with open(source, "w") as f:
    f.write("hello graph")
contents = tf.read_file(source)
copied = tf.io.write_file(j(root, "written.txt"), contents)
missing = tf.io.read_file(j(root, "missing.txt"))
report("read_file_tensor", [contents, copied.type, copied.name])
with tf.Session() as sess:
    report("read_file", sess.run(contents))
    sess.run(copied)
    report("read_missing_op", outcome(lambda: sess.run(missing)))
report("write_file", open(j(root, "written.txt")).read())
report_error("read_file_rank", lambda: tf.read_file(tf.constant(["a", "b"])))

# flags
flags = tf.app.flags
flags.DEFINE_string("data_dir", "/tmp/data", "where the data is")
flags.DEFINE_integer("batch_size", 32, "examples per batch")
flags.DEFINE_float("learning_rate", 0.01, "step size")
flags.DEFINE_boolean("use_gpu", True, "whether to use a GPU")
flags.DEFINE_bool("verbose", False, "more output")
flags.DEFINE_list("layers", "64,32", "layer widths")
flags.DEFINE_enum("mode", "train", ["train", "eval"], "what to do")
FLAGS = flags.FLAGS
report("flag_defaults", [FLAGS["data_dir"].default, FLAGS["batch_size"].default,
                         FLAGS["learning_rate"].default, FLAGS["use_gpu"].default,
                         FLAGS["layers"].default, FLAGS["mode"].default])
remaining = FLAGS(["prog", "--batch_size=64", "--learning_rate", "0.5", "--nouse_gpu",
                   "--verbose", "positional", "--layers=8,4,2", "--mode=eval", "--", "--after"])
report("flags_remaining", remaining)
report("flag_values", [FLAGS.data_dir, FLAGS.batch_size, FLAGS.learning_rate, FLAGS.use_gpu,
                       FLAGS.verbose, FLAGS.layers, FLAGS.mode])
FLAGS.batch_size = 8
report("flag_assigned", FLAGS.batch_size)
report("flag_dict_subset", {k: v for k, v in FLAGS.flag_values_dict().items()
                            if k in ("data_dir", "batch_size", "mode")})
report("flag_is_parsed", FLAGS.is_parsed())
report_error("flag_bad_int", lambda: FLAGS(["prog", "--batch_size=abc"]))
report_error("flag_bad_enum", lambda: FLAGS(["prog", "--mode=predict"]))
report_error("flag_unknown", lambda: FLAGS(["prog", "--no_such_flag=1"]))
report("flag_known_only", FLAGS(["prog", "--no_such_flag=1", "--batch_size=3"],
                                known_only=True))
report_error("flag_defined_twice", lambda: flags.DEFINE_integer("batch_size", 1, "again"))
report_error("flag_missing_attribute", lambda: FLAGS.not_a_flag)
report("flag_error_is_flags_error", issubclass(flags.IllegalFlagValueError, flags.Error))

# logging levels
report("log_levels", [tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN, tf.logging.ERROR,
                      tf.logging.FATAL])
report("default_verbosity", tf.logging.get_verbosity())
tf.logging.set_verbosity(tf.logging.ERROR)
report("set_verbosity", tf.logging.get_verbosity())
tf.logging.info("not shown")
tf.logging.set_verbosity(tf.logging.INFO)
report("set_verbosity_info", tf.logging.get_verbosity())
