"""The cache's two shared entries, the loaded rules of a folder and the compiled-code store: a later process
uses them, gives byte-identical output, sees an edited rulebook at once, and ignores an entry it did not sign."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"


def drafter(*args, cache: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "DRAFTER_CACHE": str(cache), **(env or {})}
    return subprocess.run([sys.executable, "-m", "drafter.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=environment)


def test_a_second_process_reads_the_entries_and_writes_the_same_letter(tmp_path):
    cache = tmp_path / "cache"
    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    done = drafter("letter", SEED, "-o", first, cache=cache)
    assert done.returncode == 0, done.stderr
    rules = list(cache.glob("rules-*.pickle"))
    assert len(rules) == 1 and (cache / "compiled.code").is_file()
    stamps = {p: p.stat().st_mtime_ns for p in cache.iterdir()}
    done = drafter("letter", SEED, "-o", second, cache=cache)
    assert done.returncode == 0, done.stderr
    assert first.read_bytes() == second.read_bytes()
    assert {p: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps  # read, not written again


def test_an_edited_rulebook_is_a_new_entry(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    cache = tmp_path / "cache"
    env = {"DRAFTER_RULES": str(rules)}
    assert drafter("explain", SEED, "--json", cache=cache, env=env).returncode == 0
    book = rules / "caseloads.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("name: caseloads.manageable",
                                                             "name: caseloads.manageable_edited", 1), encoding="utf-8")
    done = drafter("explain", SEED, "--json", cache=cache, env=env)
    assert done.returncode == 0, done.stderr
    assert "caseloads.manageable_edited" in done.stdout
    assert len(list(cache.glob("rules-*.pickle"))) == 2


def test_a_rulebook_with_a_mistake_is_reported_every_time(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    book = rules / "caseloads.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace("verdict: strength", "verdict: splendid", 1),
                    encoding="utf-8")
    cache = tmp_path / "cache"
    for _ in range(2):
        done = drafter("explain", SEED, cache=cache, env={"DRAFTER_RULES": str(rules)})
        assert done.returncode == 2 and "caseloads.yaml:" in done.stderr, done.stderr
    assert not list(cache.glob("rules-*.pickle"))


def test_entries_not_signed_by_drafter_are_ignored_and_never_run(tmp_path):
    cache = tmp_path / "cache"
    good = tmp_path / "good.docx"
    assert drafter("letter", SEED, "-o", good, cache=cache).returncode == 0
    marker = tmp_path / "PWNED"

    class Planted:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    for entry in cache.glob("rules-*.pickle"):
        entry.write_bytes(entry.read_bytes()[:32] + pickle.dumps(Planted()))  # the old signature, a new payload
    (cache / "compiled.code").write_bytes(b"\0" * 32 + b"not what drafter wrote")
    again = tmp_path / "again.docx"
    done = drafter("letter", SEED, "-o", again, cache=cache)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert again.read_bytes() == good.read_bytes()


def test_an_edited_configuration_file_is_read_afresh_and_a_broken_one_reported_each_time(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    cache, out = tmp_path / "cache", tmp_path / "letter.html"
    env = {"DRAFTER_RULES": str(rules)}
    assert drafter("letter", SEED, "-o", out, cache=cache, env=env).returncode == 0
    assert "Why it matters:" in out.read_text(encoding="utf-8")
    assert list(cache.glob("config-*.pickle"))
    words = rules / "comments.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace('why: "Why it matters"', 'why: "Why this counts"'),
                     encoding="utf-8")
    assert drafter("letter", SEED, "-o", out, cache=cache, env=env).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "Why this counts:" in text and "Why it matters:" not in text
    words.write_text(words.read_text(encoding="utf-8").replace("labels:", "lables:", 1), encoding="utf-8")
    for _ in range(2):
        done = drafter("letter", SEED, "-o", out, cache=cache, env=env)
        assert done.returncode == 2 and "comments.yaml:" in done.stderr, done.stderr
