"""A verified on-disk cache: each entry is signed with a per-user secret key, so a replaced or planted entry is ignored.

Entries are `HMAC-SHA256(key, name + payload) + payload`. The key is 32 random bytes in `CACHE/key`, created
0600 by the user; the cache is used only when its folder and key file belong to the user and no one else may
write them (or read the key). An entry that fails verification is treated as a miss and rewritten, so nothing
read from the cache is trusted blindly: a cached compiled condition runs only if drafter itself wrote it.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import marshal
import os
import secrets
import stat
import tempfile
from pathlib import Path

KEY_NAME = "key"
KEY_BYTES = 32
MAC_BYTES = 32
MAX_ENTRY_BYTES = 16 * 1024 * 1024

_keys: dict[str, bytes | None] = {}


_folders: dict[tuple[str | None, ...], Path | None] = {}


def cache_dir() -> Path | None:
    """Return the cache folder (DRAFTER_CACHE, else the user's cache folder); None disables caching."""
    settings = (os.environ.get("DRAFTER_CACHE"), os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))
    folder = _folders.get(settings, False)
    if folder is False:  # worked out once per setting: Path.home() on every lookup cost 47 ms per command
        configured, xdg, _ = settings
        if configured is not None:
            folder = Path(configured) if configured else None
        else:
            folder = Path(xdg or str(Path.home() / ".cache")) / "drafter"
        _folders[settings] = folder
    return folder


def _private(info: os.stat_result, mask: int) -> bool:
    """Return True when the user owns the file or folder and `mask` bits (others' access) are clear."""
    getuid = getattr(os, "getuid", None)
    return (getuid is None or info.st_uid == getuid()) and not (info.st_mode & mask)


def _key(folder: Path) -> bytes | None:
    """Return the cache's secret key, creating it on first use; None when the folder or key is not safe."""
    cached = _keys.get(str(folder), b"")
    if cached != b"":
        return cached
    key = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.lstat(folder)
        if stat.S_ISDIR(info.st_mode) and _private(info, 0o022):
            key = _read_or_make_key(folder / KEY_NAME)
    except OSError:
        key = None
    _keys[str(folder)] = key
    return key


def _read_or_make_key(path: Path) -> bytes | None:
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
    except FileExistsError:
        fd = None
    if fd is not None:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(KEY_BYTES))
    fd = os.open(path, os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or not _private(info, 0o077):
            return None
        key = fh.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _mac(key: bytes, name: str, payload: bytes) -> bytes:
    return hmac.new(key, name.encode("utf-8") + b"\0" + payload, hashlib.sha256).digest()


def entry_name(*parts: str) -> str:
    """Return a file name for an entry keyed by `parts` (a SHA-256 of them)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def load(name: str) -> bytes | None:
    """Return the payload of entry `name` when drafter wrote it with this user's key; None otherwise."""
    folder = cache_dir()
    return None if folder is None else _load_from(folder, name)


def _load_from(folder: Path, name: str) -> bytes | None:
    key = _key(folder)
    if key is None:
        return None
    try:
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            blob = fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return None
    if len(blob) > MAX_ENTRY_BYTES or len(blob) < MAC_BYTES:
        return None
    mac, payload = blob[:MAC_BYTES], blob[MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(key, name, payload)):
        return None
    return payload


def store(name: str, payload: bytes) -> None:
    """Write entry `name` signed with this user's key; a cache that cannot be written only costs time."""
    folder = cache_dir()
    if folder is not None:
        _store_in(folder, name, payload)


def _store_in(folder: Path, name: str, payload: bytes) -> None:
    if len(payload) > MAX_ENTRY_BYTES - MAC_BYTES:
        return
    key = _key(folder)
    if key is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".entry.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_mac(key, name, payload) + payload)
            os.replace(tmp, folder / name)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass


class Store:
    """Many small values (compiled conditions and templates) in ONE verified entry, read once per process.

    A value added is written back once, when the process ends, merged with what other processes wrote
    meanwhile. Past `most` values the store starts afresh, so rules edited many times do not make it grow
    without end. Keys are content hashes: a value never goes stale, it only stops being asked for.
    """

    def __init__(self, name: str, most: int = 20_000):
        self.name = name
        self.most = most
        self._read: dict[str, dict[str, bytes]] = {}
        self._added: dict[str, dict[str, bytes]] = {}
        self._at_exit = False

    def _items(self, folder: Path) -> dict[str, bytes]:
        items = self._read.get(str(folder))
        if items is None:
            items = self._read[str(folder)] = _unpack(_load_from(folder, self.name))
        return items

    def get(self, key: str) -> bytes | None:
        """Return the value stored under `key`, or None."""
        folder = cache_dir()
        if folder is None:
            return None
        added = self._added.get(str(folder))
        if added and key in added:
            return added[key]
        return self._items(folder).get(key)

    def put(self, key: str, value: bytes) -> None:
        """Keep `value` under `key`; it is written when the process ends (or at `flush`)."""
        folder = cache_dir()
        if folder is None:
            return
        if not self._at_exit:
            atexit.register(self.flush)
            self._at_exit = True
        self._added.setdefault(str(folder), {})[key] = value

    def flush(self) -> None:
        """Write the values added to each cache folder used, merged with the entry as it is now."""
        added, self._added = self._added, {}
        for folder, values in added.items():
            if not Path(folder).is_dir():  # a cache folder removed meanwhile (a test's) is not made again
                continue
            current = _unpack(_load_from(Path(folder), self.name))
            if len(current) + len(values) > self.most:
                current = {}
            current.update(values)
            self._read[folder] = current
            _store_in(Path(folder), self.name, marshal.dumps(current))


def _unpack(payload: bytes | None) -> dict[str, bytes]:
    if payload is None:
        return {}
    try:
        items = marshal.loads(payload)  # verified: written by Store.flush with the user's secret key
    except (ValueError, EOFError, TypeError):
        return {}
    return items if isinstance(items, dict) else {}


_stores: dict[str, Store] = {}


def compiled() -> Store:
    """Return the store of compiled conditions, templates and checks (one entry, `compiled.code`)."""
    if "compiled" not in _stores:
        _stores["compiled"] = Store("compiled.code")
    return _stores["compiled"]
