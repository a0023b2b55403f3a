"""The on-disk checkpoint: ``prefix.index`` + ``prefix.data-00000-of-00001``.

The data file is the tensors' raw little-endian bytes, one after another. The index is a magic
line, the CRC32 of the JSON body, and a JSON body giving each tensor's dtype, shape, offset,
length and CRC32. Nothing is pickled: reading a checkpoint never executes code. Every file is
written to a temporary name, flushed, fsynced and renamed, so a crash leaves either the old file
or the new one, never half of one.
"""
import errno
import json
import os
import tempfile
import zlib

import numpy as np

from ..framework import dtypes, errors

INDEX_MAGIC = b"graphflow-checkpoint-index 1\n"
DATA_SUFFIX = ".data-00000-of-00001"
INDEX_SUFFIX = ".index"


def index_path(prefix):
    return prefix + INDEX_SUFFIX


def data_path(prefix):
    return prefix + DATA_SUFFIX


def atomic_write(path, chunks):
    """Writes ``chunks`` (bytes) to ``path`` atomically; on failure the old file is untouched
    and the error says what went wrong where."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = None, None
    try:
        fd, temp = tempfile.mkstemp(prefix=os.path.basename(path) + ".tmp", dir=directory)
        with os.fdopen(fd, "wb") as f:
            fd = None
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
        temp = None
        _fsync_directory(directory)
    except OSError as e:
        raise _os_error(e, path) from e
    finally:
        if fd is not None:
            os.close(fd)
        if temp is not None and os.path.exists(temp):
            os.remove(temp)


def _fsync_directory(directory):
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _os_error(e, path):
    note = ("%s while writing %s; the previous checkpoint (if any) is unchanged."
            % (e.strerror or e, path))
    if e.errno == errno.ENOSPC:
        return errors.ResourceExhaustedError(None, None, "No space left on device: " + note)
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return errors.PermissionDeniedError(None, None, "Permission denied (read-only "
                                            "directory?): " + note)
    if e.errno == errno.ENOENT:
        return errors.NotFoundError(None, None, "Directory does not exist: " + note)
    return errors.UnknownError(None, None, note)


def write(prefix, tensors):
    """Writes ``{name: ndarray}`` as a checkpoint; the index goes last, after the data."""
    entries, offset, chunks = {}, 0, []
    for name in sorted(tensors):
        array = np.asarray(tensors[name], order="C")
        if array.dtype.kind in "OSU":
            raise TypeError("Tensor %s has dtype %s: only numeric and bool tensors can be "
                            "checkpointed" % (name, array.dtype))
        raw = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        entries[name] = {"dtype": array.dtype.name, "shape": list(array.shape),
                         "offset": offset, "length": len(raw), "crc32": zlib.crc32(raw)}
        chunks.append(raw)
        offset += len(raw)
    body = json.dumps({"tensors": entries, "data_file": os.path.basename(data_path(prefix))},
                      sort_keys=True).encode()
    atomic_write(data_path(prefix), chunks)
    atomic_write(index_path(prefix), [INDEX_MAGIC, b"%08x\n" % zlib.crc32(body), body])


class Reader:
    """Reads a checkpoint, checking every CRC; ``tf.train.NewCheckpointReader`` returns one."""

    def __init__(self, prefix):
        self.prefix = prefix
        path = index_path(prefix)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: "
                                       "Failed to find any matching files for %s" % prefix)
        self.entries = _parse_index(raw, path)

    def get_variable_to_shape_map(self):
        return {name: e["shape"] for name, e in self.entries.items()}

    def get_variable_to_dtype_map(self):
        """name -> tf.DType, as TF's reader gives (code compares them with tf.float32)."""
        return {name: dtypes.as_dtype(np.dtype(e["dtype"])) for name, e in self.entries.items()}

    def has_tensor(self, name):
        return name in self.entries

    def get_tensor(self, name):
        if name not in self.entries:
            raise errors.NotFoundError(None, None, "Key %s not found in checkpoint %s; it holds: "
                                       "%s" % (name, self.prefix, ", ".join(sorted(self.entries))))
        return self.read([name])[name]

    def read(self, names):
        path = data_path(self.prefix)
        out = {}
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            raise errors.DataLossError(None, None, "Checkpoint data file %s is missing (its index "
                                       "exists): the checkpoint is incomplete." % path)
        with f:
            for name in names:
                e = self.entries[name]
                f.seek(e["offset"])
                raw = f.read(e["length"])
                if len(raw) != e["length"] or zlib.crc32(raw) != e["crc32"]:
                    raise errors.DataLossError(
                        None, None, "Checksum mismatch for tensor %s in %s: the file is "
                        "corrupted or truncated (%d of %d bytes read)."
                        % (name, path, len(raw), e["length"]))
                dtype = np.dtype(e["dtype"]).newbyteorder("<")
                out[name] = np.frombuffer(raw, dtype=dtype).astype(
                    np.dtype(e["dtype"])).reshape(e["shape"])
        return out


def _parse_index(raw, path):
    if not raw.startswith(INDEX_MAGIC):
        raise errors.DataLossError(None, None, "%s is not a graphflow checkpoint index (bad "
                                   "header): the file is corrupted or of another format." % path)
    rest = raw[len(INDEX_MAGIC):]
    crc_line, _, body = rest.partition(b"\n")
    try:
        expected = int(crc_line, 16)
    except ValueError:
        expected = None
    if expected is None or zlib.crc32(body) != expected:
        raise errors.DataLossError(None, None, "Checksum mismatch in checkpoint index %s: the "
                                   "file is corrupted or truncated." % path)
    return json.loads(body.decode())["tensors"]


def exists(prefix):
    return os.path.exists(index_path(prefix))


def remove(prefix, meta_suffix=".meta"):
    for path in (index_path(prefix), data_path(prefix), prefix + meta_suffix):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
