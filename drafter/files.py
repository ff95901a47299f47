"""File safety for inputs and outputs: bounded reads of regular files, checked atomic writes, never over an input.

Every file drafter reads in a run is noted (`note_input`); an output that is one of them (same path after
resolving links, or the same inode through a hard link) is refused, and so is an output inside drafter's own
rules or templates folders. Only regular files are read and written: a FIFO, a device or a socket is refused
before it is opened (so nothing blocks), and an output that is a symbolic link is refused rather than
silently replaced by a file.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from drafter.errors import DrafterError, Problem
from drafter.limits import limit

_TEMPORARIES: set[str] = set()  # temporary files being written now (removed if the process is stopped)
_READ_PATHS: set[str] = set()
_READ_INODES: set[tuple[int, int]] = set()


def start_run() -> None:
    """Forget the files noted so far: a new command starts (the CLI calls this once per command)."""
    _READ_PATHS.clear()
    _READ_INODES.clear()


def note_input(path: Path | str) -> None:
    """Note that this run reads `path`, so that no output of the run may replace it."""
    try:
        _READ_PATHS.add(str(Path(path).resolve()))
        info = os.stat(path)
        _READ_INODES.add((info.st_dev, info.st_ino))
    except (OSError, ValueError):
        pass


def inputs_read() -> list[str]:
    """Return the resolved paths of the files noted in this run, sorted."""
    return sorted(_READ_PATHS)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def require_regular(path: Path | str, what: str = "file") -> os.stat_result:
    """Return the stat of `path`, raising DrafterError unless it is an existing regular file (links followed)."""
    shown = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DrafterError(Problem(f"no such file (not found): {shown}", path=shown,
                                   hint=f"check the path to the {what}")) from None
    except OSError as exc:
        raise DrafterError(Problem(f"cannot read {shown}: {exc.strerror or exc}", path=shown)) from None
    if not stat.S_ISREG(info.st_mode):
        raise DrafterError(Problem(f"{shown} is {_kind(info.st_mode)}, not a {what}", path=shown,
                                   expected=f"a regular {what}",
                                   hint="give the path of a file saved on disk" if not stat.S_ISDIR(info.st_mode)
                                   else f"name a file inside it, e.g. {shown.rstrip('/')}/NAME"))
    return info


def read_bytes_bounded(path: Path | str, limit_bytes: int, what: str = "file") -> bytes:
    """Return the bytes of regular file `path`, refusing (DrafterError) a missing, special or oversized file."""
    path = Path(path)
    require_regular(path, what)
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it does not block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise DrafterError(Problem(f"{path} is not a regular file", path=str(path)))
            data = fh.read(limit_bytes + 1)
    except FileNotFoundError:
        raise DrafterError(Problem("file not found", path=str(path))) from None
    except IsADirectoryError:
        raise DrafterError(Problem("expected a file, found a folder", path=str(path))) from None
    except OSError as exc:
        raise DrafterError(Problem(f"cannot read file: {exc.strerror}", path=str(path))) from None
    if len(data) > limit_bytes:
        raise DrafterError(
            Problem(
                "file is too large",
                path=str(path),
                found=f"more than {limit_bytes:,} bytes",
                expected=f"at most {limit_bytes:,} bytes",
            )
        )
    note_input(path)
    return data


# ---------------------------------------------------------------- outputs


def _protected_folders() -> list[Path]:
    from drafter import paths

    folders = {paths.PROJECT_ROOT / "rules", paths.PROJECT_ROOT / "templates", paths.rules_dir(),
               paths.templates_dir()}
    out = []
    for folder in folders:
        try:
            out.append(folder.resolve())
        except (OSError, RuntimeError):
            continue
    return out


def _refuse(path: Path, message: str, *, found: str = "", expected: str = "", hint: str = "") -> DrafterError:
    return DrafterError(Problem(message, path=str(path) or "''", found=found, expected=expected, hint=hint))


def check_output(path: Path | str, inputs: Iterable[Path | str] = ()) -> Path:
    """Return `path` as an output file name after refusing anything that cannot or must not be written.

    Refused: an empty name, `.` or a name ending in a separator; a name longer than the file system
    allows; an existing folder, symbolic link, FIFO, device or socket; a path under a regular file;
    a file this run read (or one of `inputs`), by path or by inode; a file in drafter's rules or
    templates folders.
    """
    text = os.fspath(path)
    if not text or text.endswith(("/", os.sep)) or Path(text).name in ("", ".", ".."):
        raise _refuse(Path(text), "the output needs a file name", found=repr(text),
                      expected="a file name such as letter.docx", hint="give -o/--out a file name")
    path = Path(text)
    if len(os.fsencode(path.name)) > limit("name_bytes"):
        raise _refuse(path, "the output file name is too long", found=f"{len(os.fsencode(path.name))} bytes",
                      expected=f"at most {limit('name_bytes')} bytes", hint="choose a shorter name")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise _under_file(path) from None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    _refuse_inputs(path, info, inputs)
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise _refuse(path, "the output is a symbolic link; drafter does not replace links",
                          found=f"a link to {os.readlink(path)}", expected="a regular file or a new name",
                          hint="give the path the link points to, or remove the link first")
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(path, "the output is an existing folder", expected="a file name",
                          hint=f"name a file inside it, e.g. {text.rstrip('/')}/NAME")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, f"the output is {_kind(info.st_mode)}; drafter writes only regular files",
                          expected="a regular file or a new name", hint="choose a file name on disk")
    _check_parent(path)
    return path


def _under_file(path: Path) -> DrafterError:
    parent = next((p for p in path.parents if p.exists() and not p.is_dir()), path.parent)
    return _refuse(path, "the output's folder is a file", found=f"{parent} is a regular file",
                   expected="a path inside a folder", hint="choose another folder for the output")


def _check_parent(path: Path) -> None:
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise _under_file(path)
            break


def _refuse_inputs(path: Path, info: os.stat_result | None, inputs: Iterable[Path | str]) -> None:
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return
    for given in inputs:
        note_input(given)
    same = str(target) in _READ_PATHS
    if not same and info is not None:
        same = (info.st_dev, info.st_ino) in _READ_INODES
    if same:
        raise _refuse(path, "the output would overwrite an input file (one this run reads)", found=str(path),
                      expected="a name that is not an input (pack, draft, template, reference DOCX or rulebook)",
                      hint="choose another output path (--out)")
    for folder in _protected_folders():
        if target == folder or folder in target.parents:
            raise _refuse(path, "the output is inside drafter's rules or templates folder", found=str(folder),
                          expected="a file outside drafter's configuration folders",
                          hint="write documents elsewhere; edit rules and templates by hand")


def _cannot_write(path: Path, exc: OSError) -> DrafterError:
    reasons = {
        errno.ENOSPC: ("the disk is full", "free some space, or write somewhere else"),
        errno.EDQUOT: ("the disk quota is exceeded", "free some space, or write somewhere else"),
        errno.EACCES: ("permission denied", "choose a folder you may write to"),
        errno.EPERM: ("permission denied", "choose a folder you may write to"),
        errno.EROFS: ("the file system is read-only", "choose a folder you may write to"),
        errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
        errno.ENOTDIR: ("a part of the path is a file, not a folder", "choose another folder"),
        errno.EISDIR: ("the output is a folder", "give a file name"),
    }
    reason, hint = reasons.get(exc.errno or 0, (exc.strerror or str(exc), "check the folder and try again"))
    return DrafterError(Problem(f"cannot write the output: {reason}", path=str(path), hint=hint))


def write_atomic(path: Path | str, data: bytes, inputs: Iterable[Path | str] = ()) -> Path:
    """Write `data` to `path` atomically and return the path; raise DrafterError when it cannot or must not.

    The bytes go to a temporary file in the same folder, are flushed to disk, then renamed over
    `path`, so readers see the old file or the new one, never half of one. Missing parent folders
    are created. On any failure (a full disk, a read-only folder...) the temporary file is removed,
    any existing `path` is untouched, and a DrafterError says why (exit status 2).
    """
    path = check_output(path, inputs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    _TEMPORARIES.add(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from None
        raise
    finally:
        _TEMPORARIES.discard(tmp)
    return path


def remove_temporaries() -> None:
    """Remove the temporary files of writes still in progress (for a process being stopped by a signal)."""
    for tmp in list(_TEMPORARIES):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _TEMPORARIES.discard(tmp)


def refuse_overwrite_input(out: Path | str, inputs: Iterable[Path | str]) -> None:
    """Raise DrafterError when `out` may not be written: one of `inputs`, a file read in this run, or no file."""
    check_output(out, list(inputs))


def backup(path: Path) -> Path | None:
    """Copy an existing file or folder to the first free `NAME.~N~` and return that name (None: nothing there)."""
    if not path.exists():
        return None
    n = 1
    while True:
        target = path.with_name(f"{path.name}.~{n}~")
        if not target.exists() and not target.is_symlink():
            break
        n += 1
    try:
        if path.is_dir():  # a CSV pack folder: keep its CSV files, nothing else
            target.mkdir()
            for member in path.iterdir():
                if member.suffix.lower() == ".csv" and member.is_file() and not member.is_symlink():
                    shutil.copy2(member, target / member.name)
        else:
            shutil.copy2(path, target)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    return target
