"""``tf.app.flags`` / ``tf.flags``: command-line flags as TF1 scripts define and read them.

``DEFINE_string("data_dir", "/tmp", "where the data is")`` declares a flag on the global
``FLAGS``; ``FLAGS(argv)`` parses ``--name=value``, ``--name value``, ``--bool_flag`` and
``--nobool_flag`` and returns the arguments that are not flags. Reading a flag before any parse
parses ``sys.argv`` first, as TF's wrapper of absl's flags does.
"""
import sys


class Error(Exception):
    """Every flags error."""


FlagsError = Error


class IllegalFlagValueError(Error):
    """A flag was given a value it cannot take."""


class UnrecognizedFlagError(Error):
    """A flag that was never defined."""

    def __init__(self, flagname, flagvalue="", suggestions=None):
        self.flagname = flagname
        self.flagvalue = flagvalue
        super().__init__("Unknown command line flag '%s'" % flagname)


class DuplicateFlagError(Error):
    """A flag defined twice."""


class UnparsedFlagAccessError(Error):
    """A flag read before the command line was parsed."""


class ValidationError(Error):
    """A flag value rejected by a validator."""


_TRUE_WORDS = ("true", "t", "1", "yes", "y")
_FALSE_WORDS = ("false", "f", "0", "no", "n")


class Flag:
    """One flag: its name, help text, default and current value, and how text becomes a
    value."""

    def __init__(self, name, default, help_text, parse, kind, short_name=None):
        self.name = name
        self.help = help_text
        self.short_name = short_name
        self.flag_type_name = kind
        self._parse_text = parse
        self.present = 0
        self.using_default_value = True
        self.default = None if default is None else self.parse(default)
        self.value = self.default

    def parse(self, argument):
        if isinstance(argument, str) or self.flag_type_name in ("list", "multi"):
            try:
                return self._parse_text(argument)
            except (ValueError, TypeError) as e:
                raise IllegalFlagValueError("flag --%s=%s: %s" % (self.name, argument, e)) \
                    from None
        return self._parse_text(argument)

    def set_from_text(self, text):
        self.value = self.parse(text)
        self.present += 1
        self.using_default_value = False

    @property
    def boolean(self):
        return self.flag_type_name == "bool"

    def flag_type(self):
        return self.flag_type_name

    def __repr__(self):
        return "<Flag --%s=%r>" % (self.name, self.value)


def _parse_bool(argument):
    if isinstance(argument, bool):
        return argument
    if isinstance(argument, int) and argument in (0, 1):
        return bool(argument)
    if isinstance(argument, str):
        if argument.lower() in _TRUE_WORDS:
            return True
        if argument.lower() in _FALSE_WORDS:
            return False
    raise ValueError("Non-boolean argument to boolean flag: %r" % (argument,))


def _bounded(convert, kind, lower, upper):
    def parse(argument):
        if isinstance(argument, str):
            text = argument.strip()
            if kind == "int":
                value = int(text, 16 if text.lower().startswith(("0x", "-0x")) else 10)
            else:
                value = float(text)
        else:
            value = convert(argument)
            if kind == "int" and value != argument:
                raise ValueError("Expect argument to be a %s, found %r" % (kind, argument))
        if lower is not None and value < lower:
            raise ValueError("%s is not >= %s" % (value, lower))
        if upper is not None and value > upper:
            raise ValueError("%s is not <= %s" % (value, upper))
        return value
    return parse


def _parse_list(argument):
    if isinstance(argument, (list, tuple)):
        return list(argument)
    if not argument:
        return []
    return [item.strip() for item in argument.split(",")]


class FlagValues:
    """The registry of flags and their values (``FLAGS``)."""

    def __init__(self):
        self.__dict__["__flags"] = {}
        self.__dict__["__parsed"] = False
        self.__dict__["__validators"] = []

    # -- definition --------------------------------------------------------------------------
    def _register(self, flag):
        flags = self.__dict__["__flags"]
        if flag.name in flags:
            raise DuplicateFlagError("The flag '%s' is defined twice." % flag.name)
        flags[flag.name] = flag
        if flag.short_name:
            flags[flag.short_name] = flag
        return flag

    def _flags(self):
        return self.__dict__["__flags"]

    def __contains__(self, name):
        return name in self._flags()

    def __getitem__(self, name):
        return self._flags()[name]

    def __iter__(self):
        return iter(self._flags())

    def __len__(self):
        return len(self._flags())

    # -- values ------------------------------------------------------------------------------
    def __getattr__(self, name):
        flags = self.__dict__["__flags"]
        if name not in flags:
            raise AttributeError(name)
        if not self.__dict__["__parsed"]:
            # TF's FLAGS parse the command line on the first read instead of refusing.
            self(sys.argv)
        return flags[name].value

    def __setattr__(self, name, value):
        flags = self._flags()
        if name not in flags:
            raise UnrecognizedFlagError(name, value)
        flag = flags[name]
        flag.value = flag.parse(value) if value is not None else None
        flag.using_default_value = False
        self._validate(only=name)

    def __delattr__(self, name):
        flags = self._flags()
        if name not in flags:
            raise AttributeError(name)
        flag = flags.pop(name)
        if flag.short_name and flags.get(flag.short_name) is flag:
            del flags[flag.short_name]

    def __dir__(self):
        return sorted(self._flags())

    def flag_values_dict(self):
        return {name: flag.value for name, flag in self._flags().items()}

    def get_flag_value(self, name, default):
        flag = self._flags().get(name)
        return default if flag is None else flag.value

    def is_parsed(self):
        return self.__dict__["__parsed"]

    def mark_as_parsed(self):
        self.__dict__["__parsed"] = True

    def unparse_flags(self):
        for flag in self._flags().values():
            flag.value = flag.default
            flag.present = 0
            flag.using_default_value = True
        self.__dict__["__parsed"] = False

    def register_validator(self, names, checker, message):
        self.__dict__["__validators"].append((tuple(names), checker, message))

    def _validate(self, only=None):
        for names, checker, message in self.__dict__["__validators"]:
            if only is not None and only not in names:
                continue
            values = [self._flags()[n].value for n in names if n in self._flags()]
            ok = checker(*values) if len(names) == 1 else checker(
                dict(zip(names, values)))
            if not ok:
                raise IllegalFlagValueError("flag --%s: %s" % (names[0], message))

    # -- parsing -----------------------------------------------------------------------------
    def __call__(self, argv, known_only=False):
        """Parses ``argv`` (its first item is the program); returns the program followed by the
        arguments that are not flags (and, with ``known_only``, unknown flags)."""
        if isinstance(argv, str) or not hasattr(argv, "__iter__"):
            raise TypeError("argv should be a tuple/list of strings, not bytes or string.")
        argv = list(argv)
        if not argv:
            raise ValueError("argv cannot be an empty list, and must contain the program name "
                             "as the first element.")
        program, arguments = argv[0], argv[1:]
        remaining = [program]
        flags = self._flags()
        index = 0
        while index < len(arguments):
            argument = arguments[index]
            index += 1
            if argument == "--":
                remaining.extend(arguments[index:])
                break
            if not argument.startswith("-") or argument == "-":
                remaining.append(argument)
                continue
            body = argument.lstrip("-")
            name, has_value, value = body.partition("=")
            flag = flags.get(name)
            if flag is None and not has_value and name.startswith("no") and \
                    name[2:] in flags and flags[name[2:]].boolean:
                flags[name[2:]].set_from_text("false")
                continue
            if flag is None:
                if known_only:
                    remaining.append(argument)
                    continue
                raise UnrecognizedFlagError(name, value)
            if not has_value:
                if flag.boolean:
                    value = "true"
                elif index < len(arguments):
                    value = arguments[index]
                    index += 1
                else:
                    raise IllegalFlagValueError("Flag --%s must have a value other than None."
                                                % name)
            if flag.flag_type_name == "multi":
                previous = flag.value if flag.present else []
                flag.set_from_text(value)
                flag.value = previous + flag.value
            else:
                flag.set_from_text(value)
        self.mark_as_parsed()
        self._validate()
        return remaining

    def read_flags_from_files(self, argv, force_gnu=True):
        return list(argv)

    # -- help --------------------------------------------------------------------------------
    def get_help(self, prefix=""):
        lines = []
        seen = set()
        for name in sorted(self._flags()):
            flag = self._flags()[name]
            if id(flag) in seen:
                continue
            seen.add(id(flag))
            lines.append("%s--%s: %s" % (prefix, flag.name, flag.help or ""))
            lines.append("%s    (default: %r)" % (prefix, flag.default))
        return "\n".join(lines)

    def __str__(self):
        return self.get_help()


FLAGS = FlagValues()


def _define(parse, kind, name, default, help, flag_values=FLAGS,  # noqa: A002
            short_name=None):
    flag = Flag(name, default, help, parse, kind, short_name)
    return flag_values._register(flag)


def _accepting_old_names(define):
    """TF1's define functions also take ``flag_name``, ``default_value`` and ``docstring``."""
    renamed = {"flag_name": "name", "default_value": "default", "docstring": "help"}

    def wrapper(*args, **kwargs):
        for old, new in renamed.items():
            if old in kwargs:
                kwargs[new] = kwargs.pop(old)
        return define(*args, **kwargs)
    wrapper.__name__ = define.__name__
    wrapper.__doc__ = define.__doc__
    return wrapper


@_accepting_old_names
def DEFINE_string(name, default, help, flag_values=FLAGS, **args):  # noqa: N802,A002
    return _define(lambda a: a if a is None else str(a), "string", name, default, help,
                   flag_values, args.get("short_name"))


@_accepting_old_names
def DEFINE_boolean(name, default, help, flag_values=FLAGS, **args):  # noqa: N802,A002
    return _define(_parse_bool, "bool", name, default, help, flag_values,
                   args.get("short_name"))


DEFINE_bool = DEFINE_boolean


@_accepting_old_names
def DEFINE_integer(name, default, help, lower_bound=None, upper_bound=None,  # noqa: N802,A002
                   flag_values=FLAGS, **args):
    return _define(_bounded(int, "int", lower_bound, upper_bound), "int", name, default, help,
                   flag_values, args.get("short_name"))


@_accepting_old_names
def DEFINE_float(name, default, help, lower_bound=None, upper_bound=None,  # noqa: N802,A002
                 flag_values=FLAGS, **args):
    return _define(_bounded(float, "float", lower_bound, upper_bound), "float", name, default,
                   help, flag_values, args.get("short_name"))


def DEFINE_list(name, default, help, flag_values=FLAGS, **args):  # noqa: N802,A002
    return _define(_parse_list, "list", name, default, help, flag_values,
                   args.get("short_name"))


def DEFINE_enum(name, default, enum_values, help, flag_values=FLAGS,  # noqa: N802,A002
                case_sensitive=True, **args):
    allowed = list(enum_values)

    def parse(argument):
        if argument in allowed:
            return argument
        if not case_sensitive:
            for value in allowed:
                if value.lower() == str(argument).lower():
                    return value
        raise ValueError("value should be one of <%s>" % "|".join(allowed))
    return _define(parse, "enum", name, default, help, flag_values, args.get("short_name"))


def DEFINE_multi_string(name, default, help, flag_values=FLAGS, **args):  # noqa: N802,A002
    return _define(lambda a: [str(x) for x in a] if isinstance(a, (list, tuple)) else [str(a)],
                   "multi", name, default, help, flag_values, args.get("short_name"))


def DEFINE_multi_integer(name, default, help, flag_values=FLAGS, **args):  # noqa: N802,A002
    return _define(lambda a: [int(x) for x in a] if isinstance(a, (list, tuple)) else [int(a)],
                   "multi", name, default, help, flag_values, args.get("short_name"))


def register_validator(flag_name, checker, message="Flag validation failed",
                       flag_values=FLAGS):
    flag_values.register_validator([flag_name], checker, message)


def validator(flag_name, message="Flag validation failed", flag_values=FLAGS):
    def decorate(checker):
        register_validator(flag_name, checker, message, flag_values)
        return checker
    return decorate


def mark_flag_as_required(flag_name, flag_values=FLAGS):
    register_validator(flag_name, lambda value: value is not None,
                       "Flag --%s must have a value other than None." % flag_name, flag_values)


def mark_flags_as_required(flag_names, flag_values=FLAGS):
    for name in flag_names:
        mark_flag_as_required(name, flag_values)
