"""``tf.app``: ``tf.app.run`` and the flags module as ``tf.app.flags``."""
import sys

from . import flags


def _print_help(argv):
    program = argv[0] if argv else "program"
    sys.stdout.write("\n       USAGE: %s [flags]\nflags:\n%s\n"
                     % (program, flags.FLAGS.get_help(prefix="  ")))


def run(main=None, argv=None):
    """Parses the flags in ``argv`` (default ``sys.argv``; unknown flags stay in the list),
    calls ``main`` (default: ``__main__.main``) with what remains, and exits with its return
    value, as TF's ``tf.app.run`` does. ``--help`` prints the flags and exits."""
    main = main or sys.modules["__main__"].main
    argv = list(sys.argv if argv is None else argv)
    if any(a in ("--help", "-help", "--helpfull", "--helpshort", "-?") for a in argv[1:]):
        _print_help(argv)
        sys.exit(0)
    try:
        remaining = flags.FLAGS(argv, known_only=True)
    except flags.Error as e:
        sys.stderr.write("FATAL Flags parsing error: %s\n" % e)
        sys.stderr.write("Pass --helpshort or --helpfull to see help on flags.\n")
        sys.exit(1)
    sys.exit(main(remaining))
