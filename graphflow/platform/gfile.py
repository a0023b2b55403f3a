"""``tf.gfile`` (TF1 names) and ``tf.io.gfile`` (TF2 names): file access on the local file
system with TF's error classes (NotFoundError, AlreadyExistsError, ...) instead of OSError.

Remote schemes (gs://, hdfs://) are not available; paths are local.
"""
import collections
import contextlib
import errno
import glob as _glob
import os
import shutil

from ..framework import errors

FileStatistics = collections.namedtuple("FileStatistics", ["length", "mtime_nsec",
                                                           "is_directory"])


def _error_for(error, path):
    """The tf.errors class TF's file system gives for an OSError."""
    message = "%s; %s" % (path, os.strerror(error.errno) if error.errno else error)
    code_to_class = {
        errno.ENOENT: errors.NotFoundError,
        errno.EEXIST: errors.AlreadyExistsError,
        errno.EACCES: errors.PermissionDeniedError,
        errno.EPERM: errors.PermissionDeniedError,
        errno.EISDIR: errors.FailedPreconditionError,
        errno.ENOTDIR: errors.FailedPreconditionError,
        errno.ENOTEMPTY: errors.FailedPreconditionError,
        errno.ENOSPC: errors.ResourceExhaustedError,
    }
    return code_to_class.get(error.errno, errors.UnknownError)(None, None, message)


@contextlib.contextmanager
def _tf_errors(path):
    """Raises an OSError of the block as the tf.errors class for it."""
    try:
        yield
    except OSError as e:
        raise _error_for(e, path) from None


def _path(path):
    path = os.fspath(path)
    return path.decode("utf-8") if isinstance(path, bytes) else path


class GFile:
    """A file opened lazily, as TF's GFile: a missing file fails on the first read, not at
    construction. Text modes read ``str``, binary modes ``bytes``; writes take either."""

    def __init__(self, name, mode="r"):
        if mode.replace("b", "") not in ("r", "w", "a", "r+", "w+", "a+"):
            raise errors.InvalidArgumentError(
                None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self.__name = _path(name)
        self.__mode = mode
        self._binary = "b" in mode
        self._file = None

    @property
    def name(self):
        return self.__name

    @property
    def mode(self):
        return self.__mode

    def _opened(self):
        if self._file is None:
            with _tf_errors(self.__name):
                self._file = open(self.__name, self.__mode.replace("b", "") + "b")
        return self._file

    def _check(self, reading):
        readable = "r" in self.__mode or "+" in self.__mode
        writable = any(c in self.__mode for c in "wa+")
        if reading and not readable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
        if not reading and not writable:
            raise errors.PermissionDeniedError(None, None, "File isn't open for writing")

    def _text(self, data):
        return data if self._binary else data.decode("utf-8")

    def size(self):
        with _tf_errors(self.__name):
            return os.stat(self.__name).st_size

    def write(self, file_content):
        self._check(reading=False)
        data = file_content.encode("utf-8") if isinstance(file_content, str) else \
            bytes(file_content)
        self._opened().write(data)

    def read(self, n=-1):
        self._check(reading=True)
        return self._text(self._opened().read(-1 if n is None else n))

    def readline(self):
        self._check(reading=True)
        return self._text(self._opened().readline())

    def readlines(self):
        self._check(reading=True)
        return [self._text(line) for line in self._opened().readlines()]

    def seek(self, offset=None, whence=0, position=None):
        if position is not None:
            offset = position
        self._opened().seek(offset, whence)

    def tell(self):
        return self._opened().tell()

    def flush(self):
        if self._file is not None:
            self._file.flush()

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def seekable(self):
        return True

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


Open = FastGFile = GFile


def exists(path):
    return os.path.exists(_path(path))


def isdir(path):
    return os.path.isdir(_path(path))


def _make_directory(path, make):
    """Runs ``make(path)``; an existing directory is fine, an existing file is not."""
    path = _path(path)
    with _tf_errors(path):
        try:
            make(path)
        except FileExistsError:
            if not os.path.isdir(path):
                raise errors.FailedPreconditionError(
                    None, None, "%s is not a directory" % path) from None


def mkdir(path):
    """Creates one directory; its parent must exist. An existing directory is fine."""
    _make_directory(path, os.mkdir)


def makedirs(path):
    """Creates a directory and its missing parents; an existing directory is fine."""
    _make_directory(path, lambda p: os.makedirs(p, exist_ok=True))


def listdir(path):
    """The names in a directory (no "." or ".."); NotFoundError unless it is a directory."""
    path = _path(path)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, "Could not find directory %s" % path)
    return os.listdir(path)


def glob(pattern):
    patterns = [pattern] if isinstance(pattern, (str, bytes, os.PathLike)) else list(pattern)
    matches = []
    for one in patterns:
        matches.extend(_glob.glob(_path(one)))
    return sorted(matches)


def remove(path):
    path = _path(path)
    with _tf_errors(path):
        os.remove(path)


def rmtree(path):
    path = _path(path)
    if not os.path.exists(path):
        raise errors.NotFoundError(None, None, "%s not found" % path)
    with _tf_errors(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)


def _check_target(oldpath, newpath, overwrite):
    if not os.path.exists(oldpath):
        raise errors.NotFoundError(None, None, "%s; No such file or directory" % oldpath)
    if not overwrite and os.path.exists(newpath):
        raise errors.AlreadyExistsError(None, None, "file already exists")


def copy(src, dst, overwrite=False):
    src, dst = _path(src), _path(dst)
    _check_target(src, dst, overwrite)
    with _tf_errors(dst):
        shutil.copyfile(src, dst)


def rename(src, dst, overwrite=False):
    src, dst = _path(src), _path(dst)
    _check_target(src, dst, overwrite)
    with _tf_errors(dst):
        os.replace(src, dst)


def stat(path):
    path = _path(path)
    with _tf_errors(path):
        info = os.stat(path)
    return FileStatistics(length=info.st_size, mtime_nsec=info.st_mtime_ns,
                          is_directory=os.path.isdir(path))


def walk(top, topdown=True, onerror=None):
    """(directory, subdirectory names, file names) for ``top`` and every directory below it,
    parents first when ``topdown``; nothing for a missing ``top``."""
    top = _path(top)
    if not os.path.isdir(top):
        return
    try:
        names = os.listdir(top)
    except OSError as e:
        if onerror is not None:
            onerror(_error_for(e, top))
        return
    subdirs = [n for n in names if os.path.isdir(os.path.join(top, n))]
    files = [n for n in names if n not in subdirs]
    here = (top, subdirs, files)
    if topdown:
        yield here
    for subdir in subdirs:
        yield from walk(os.path.join(top, subdir), topdown, onerror)
    if not topdown:
        yield here


def join(path, *paths):
    return os.path.join(_path(path), *[_path(p) for p in paths])


def get_registered_schemes():
    return ["file", ""]


def Walk(top, in_order=True):  # noqa: N802 - TF1's public name
    return walk(top, topdown=in_order)


def Copy(oldpath, newpath, overwrite=False):  # noqa: N802
    copy(oldpath, newpath, overwrite)


def Rename(oldname, newname, overwrite=False):  # noqa: N802
    rename(oldname, newname, overwrite)


Exists = exists
IsDirectory = isdir
MkDir = mkdir
MakeDirs = makedirs
ListDirectory = listdir
Glob = glob
Remove = remove
DeleteRecursively = rmtree
Stat = stat


class _Namespace:
    """A module-like view holding a chosen set of names."""

    def __init__(self, names):
        self.__dict__.update(names)


# tf.io.gfile: the TF2 names only.
io_gfile = _Namespace(dict(GFile=GFile, copy=copy, exists=exists, glob=glob, isdir=isdir,
                           join=join, listdir=listdir, makedirs=makedirs, mkdir=mkdir,
                           remove=remove, rename=rename, rmtree=rmtree, stat=stat, walk=walk,
                           get_registered_schemes=get_registered_schemes))
# tf.gfile: the TF1 names only.
v1_gfile = _Namespace(dict(Copy=Copy, DeleteRecursively=DeleteRecursively, Exists=Exists,
                           FastGFile=FastGFile, GFile=GFile, Glob=Glob, IsDirectory=IsDirectory,
                           ListDirectory=ListDirectory, MakeDirs=MakeDirs, MkDir=MkDir,
                           Open=Open, Remove=Remove, Rename=Rename, Stat=Stat, Walk=Walk))
