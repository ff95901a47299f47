"""File safety for inputs and outputs: bounded reads, atomic writes, never overwriting an input."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from drafter.errors import DrafterError, Problem


def write_atomic(path: Path | str, data: bytes) -> Path:
    """Write `data` to `path` atomically and return the path.

    The bytes go to a temporary file in the same folder, are flushed to disk, then renamed over
    `path`, so readers see the old file or the new one, never half of one. Missing parent folders
    are created. On failure the temporary file is removed and any existing `path` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def refuse_overwrite_input(out: Path | str, inputs: Iterable[Path | str]) -> None:
    """Raise DrafterError when `out` is the same file as one of `inputs` (after resolving links)."""
    out_path = Path(out)
    target = out_path.resolve()
    for given in inputs:
        source = Path(given)
        same = source.resolve() == target
        if not same and out_path.exists() and source.exists():
            same = os.path.samefile(out_path, source)  # hard links and case-insensitive file systems
        if same:
            raise DrafterError(
                Problem(
                    "the output would overwrite an input file",
                    path=str(out_path),
                    found=f"output {out_path} is input {source}",
                    hint="choose another output path (--out)",
                )
            )


def read_bytes_bounded(path: Path | str, limit: int) -> bytes:
    """Return the bytes of `path`, refusing (DrafterError) a file larger than `limit` bytes or one that is missing."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise DrafterError(Problem("file not found", path=str(path))) from None
    except IsADirectoryError:
        raise DrafterError(Problem("expected a file, found a folder", path=str(path))) from None
    except OSError as exc:
        raise DrafterError(Problem(f"cannot read file: {exc.strerror}", path=str(path))) from None
    if len(data) > limit:
        raise DrafterError(
            Problem(
                "file is too large",
                path=str(path),
                found=f"more than {limit} bytes",
                expected=f"at most {limit} bytes",
            )
        )
    return data
