"""The training examples' progress bar is shown only on a terminal and unless
GRAPHFLOW_PROGRESS=0; under GRAPHFLOW_OUTPUT they leave a plot and TensorBoard event files."""
import fcntl
import os
import pathlib
import pty
import struct
import subprocess
import sys
import termios

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"
PROGRAM = """
import sys
sys.path.insert(0, %r)
import graphflow as tf
from training_progress import TrainingLog
tf.constant(1.0, name="marker")
log = TrainingLog("demo", 3, graph=tf.get_default_graph())
for i in range(3):
    log.update(loss=1.0 / (i + 1), accuracy=0.25 * i)
log.close()
print("done")
""" % str(EXAMPLES)


def run_on_terminal(env):
    """Runs PROGRAM with stdout and stderr on a pseudo-terminal 120 columns wide."""
    pid, fd = pty.fork()
    if pid == 0:  # the child, on the terminal: a width, so that tqdm draws a bar
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execve(sys.executable, [sys.executable, "-c", PROGRAM], env)
    output = b""
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        output += data
    os.waitpid(pid, 0)
    return output.decode(errors="replace")


def base_env():
    env = dict(os.environ)
    for name in ("GRAPHFLOW_OUTPUT", "GRAPHFLOW_PROGRESS"):
        env.pop(name, None)
    return env


def test_bar_on_a_terminal_only_and_switchable_off():
    pytest.importorskip("tqdm")
    shown = run_on_terminal(base_env())
    assert "demo:" in shown and "0/3" in shown and "done" in shown
    quiet = run_on_terminal(dict(base_env(), GRAPHFLOW_PROGRESS="0"))
    assert "demo:" not in quiet and "done" in quiet
    piped = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                           env=base_env(), timeout=120)
    assert piped.returncode == 0 and "demo:" not in piped.stderr + piped.stdout


def test_output_folder_gets_a_plot_and_event_files(tmp_path):
    pytest.importorskip("matplotlib")
    event_accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    result = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                            env=dict(base_env(), GRAPHFLOW_OUTPUT=str(tmp_path)), timeout=120)
    assert result.returncode == 0, result.stderr
    plot = tmp_path / "demo_training.png"
    assert "plot: %s" % plot in result.stdout
    assert plot.read_bytes().startswith(b"\x89PNG")
    accumulator = event_accumulator.EventAccumulator(str(tmp_path / "logs" / "demo"))
    accumulator.Reload()
    assert [e.value for e in accumulator.Scalars("accuracy")] == [0.0, 0.25, 0.5]
    assert "marker" in {n.name for n in accumulator.Graph().node}
