"""The fast pack reader (drafter.fastyaml) gives exactly what the locating parser gives: the same typed data for
every file it accepts, and, through the CLI, the same messages and outputs for a corpus of broken and edge packs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from typer.testing import CliRunner

from drafter import fastyaml, yamlsrc
from drafter.cli import app
from drafter.yamlsrc import ProblemRaised
from tests.test_attacks import CASES, EDGE_VALID, STRUCTURE, pack_text
from tests.test_validate import BAD

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("DRAFTER_FUZZ_EXAMPLES", "100"))


def typed(value):
    """Return a value with the type of every part spelled out (1, 1.0 and True compare equal in Python)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def slow(text: str, suffix: str = ".yaml"):
    try:
        return "ok", typed(yamlsrc._parse_text(text, Path("x" + suffix), "test file").data)
    except ProblemRaised as exc:
        return "refused", exc.problem.render()


def fast(text: str, suffix: str = ".yaml"):
    try:
        data = fastyaml.load_json(text) if suffix == ".json" else fastyaml.load_yaml(text)
    except fastyaml.Unsure:
        return None
    return "ok", typed(data)


def repository_files() -> list[Path]:
    folders = [ROOT / "rules", ROOT / "templates", ROOT / "seeds", ROOT / "tests" / "data", ROOT / "tests" / "attacks"]
    return sorted(p for folder in folders for p in folder.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))


@pytest.mark.parametrize("path", repository_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_files_read_the_same(path):
    text = path.read_text(encoding="utf-8-sig")
    got = fast(text, path.suffix)
    if path.parent.name in ("rules", "seeds") or path.name == "phrases.yaml":
        assert got is not None, f"the fast reader should accept {path}"  # else this test would pass vacuously
    if got is not None:
        assert got == slow(text, path.suffix)


UNSURE = {
    "anchor and alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 12\n",
    "local tag": "a: !thing 12\n",
    "duplicate key": "a: 1\na: 2\n",
    "duplicate after keys become text": "2022-03-30: 1\n'2022-03-30': 2\n",
    "int and true as keys": "1: a\ntrue: b\n",
    "tab": "a:\t1\n",
    "hex": "a: 0x1F\n",
    "underscores": "a: 1_000\n",
    "octal": "a: 0o17\n",
    "leading zero": "a: 017\n",
    "infinity": "a: .inf\n",
    "nan": "a: .nan\n",
    "time of day": "a: 2022-03-30T10:15:00\n",
    "merge key": "a: {<<: {b: 1}}\n",
    "directive": "%YAML 1.1\n---\na: yes\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "comment right after a block indicator": "a: >#note\n  text\n",
    "collection as key": "? [a, b]\n: c\n",
    "line separator": "a: b\u2028c\n",
    "too deep": "a: " + "[" * 41 + "]" * 41 + "\n",
    "long line": "a: " + "x" * 1200 + "\n",
    "syntax error": "a: [b\n",
    "only comments": "# nothing\n",
}


@pytest.mark.parametrize("name", sorted(UNSURE))
def test_fast_reader_defers_what_it_cannot_vouch_for(name):
    assert fast(UNSURE[name]) is None


@pytest.mark.parametrize("text", ['{"a": 1, "a": 2}', '{"a": NaN}', '{"a": Infinity}', '["\\ud83d\\ude00"]',
                                  '{"a": "b\u2028c"}', "[1, 2", "1" * 5000])
def test_fast_json_defers_what_it_cannot_vouch_for(text):
    assert fast(text, ".json") is None


SCALARS = ["", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "yes", "no", "on", "off", "y",
           "0", "-0", "+0", "7", "-7", "+7", "007", "0o7", "0x1f", "0b101", "1_000", "1:30", "1.5", "-1.5", "+.5",
           ".5", "1.", "1e5", "1E5", "1e+5", "1.5e-3", ".inf", "-.Inf", ".NaN", "1_0.5", "2022-03-30", "2022-3-30",
           "2022-03-30T10:15:00", "2022-03-30 10:15:00 +01:00", "2022-02-30", "0000-00-00", "<<", "=", "12%",
           "2022-03", "2022-Q1", "2022", "1,000", "-", ".", "+", "e5", "x1", "0.0.1", "1e5.5", "- x"]


@pytest.mark.parametrize("value", SCALARS)
def test_implicit_types_agree_with_ruamel(value):
    tag = VersionedResolver(version=(1, 2)).resolve(ScalarNode, value, (True, False))
    assert fastyaml.implicit_tag(value) == str(getattr(tag, "value", tag)).rsplit(":", 1)[-1]


ATOMS = ["a", "b", "1", "0", "-", " ", "  ", "\n", ":", ": ", "- ", "[", "]", "{", "}", ",", "'", '"', "#", "|", ">",
         "&x", "*x", "!", "?", "%", ".", "~", "2022-03-30", "1.5", "true", "null", "yes", "\\", "\\n", "e5", "0x1",
         "1_0", "-1", "+1", "\r\n", "é", "<<", "...", "---", " #c", '"a"', "'b'", "key", "2022-02-30", "10:00",
         "07", "1e3", "\n  ", "\n- ", "|-\n  x", ">+\n  y\n", "\\u00e9", "\\x41", "\t"]


@settings(max_examples=EXAMPLES * 3, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=25))
def test_any_text_the_fast_reader_accepts_reads_the_same(atoms):
    text = "".join(atoms)
    got = fast(text)
    if got is not None:
        assert got == slow(text)


def _corpus() -> dict[str, tuple[str, bytes]]:
    """Return broken and edge packs: the attack corpus, hostile structures and validate's bad packs."""
    corpus: dict[str, tuple[str, bytes]] = {}
    for case in CASES["cases"]:
        text = pack_text(**{case["field"]: case["value"].replace("{huge}", "x" * 20_000)})
        corpus[f"attack-{case['name']}"] = ("pack.yaml", text.encode("utf-8"))
    for change in EDGE_VALID:
        field, value = next(iter(change.items()))
        corpus[f"edge-{field}={value}"] = ("pack.yaml", pack_text(**change).encode("utf-8"))
    for name, (content, _) in STRUCTURE.items():
        corpus[f"structure-{name}"] = (name, content if isinstance(content, bytes) else content.encode("utf-8"))
    for name, (file_name, content, _, _) in BAD.items():
        corpus[f"validate-{name}"] = (file_name, content if isinstance(content, bytes) else content.encode("utf-8"))
    return corpus


CORPUS = _corpus()


def _run(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args[:1], str(path), *args[1:]], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_broken_and_edge_packs_give_the_same_messages_both_ways(name, tmp_path, monkeypatch):
    file_name, content = CORPUS[name]
    path = tmp_path / file_name
    path.write_bytes(content)
    monkeypatch.chdir(tmp_path)
    for command in (("validate",), ("explain", "--json")):
        monkeypatch.setattr(yamlsrc, "FAST", True)
        quick = _run(path, *command)
        monkeypatch.setattr(yamlsrc, "FAST", False)
        located = _run(path, *command)
        assert quick == located


@pytest.mark.parametrize("seed", sorted((ROOT / "seeds").glob("*.yaml")), ids=lambda p: p.stem)
def test_letters_are_byte_identical_both_ways(seed, tmp_path, monkeypatch):
    outputs = []
    for fast_path in (True, False):
        monkeypatch.setattr(yamlsrc, "FAST", fast_path)
        out = tmp_path / f"letter-{fast_path}.docx"
        code, output = _run(seed, "letter", "-o", str(out))
        assert code == 0, output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


WORDS = ["a", "Caseloads", "are", "high", "in", "2022", "é", "#x", "x#y", "a:b", "a: b", "-", "'", '"', "\\", "%",
         "@x", "1.5", "true", "null", "~", "0", "2022-03-30", "[", "]", "{", "}", ",", "?", "!", "&", "*"]


def _pack_like(rng) -> str:
    """Return a random pack-like YAML document: block and flow collections, every scalar style, multi-line text."""
    def text(n):
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def scalar(indent):
        kind = rng.randrange(8)
        if kind == 0:
            return rng.choice([str(rng.randint(-5, 3000)), f"{rng.uniform(0, 100):.{rng.randint(0, 3)}f}"])
        if kind == 1:
            return rng.choice(["2022-03-30", "2022-3", "2021-Q1", "yes", "no", "true", "False", "~", "", "null"])
        if kind == 2:
            return "'" + text(rng.randint(0, 5)).replace("'", "''") + "'"
        if kind == 3:
            body = text(rng.randint(0, 5)).replace("\\", "\\\\").replace('"', '\\"')
            return '"' + body + rng.choice(["", "\\n", "\\t", "\\u00e9"]) + '"'
        if kind == 4:
            pad = " " * (indent + rng.choice([1, 2, 4]))
            lines = [text(rng.randint(0, 6)) for _ in range(rng.randint(1, 4))]
            return (rng.choice(["|", ">", "|-", ">+", "|2", ">-"]) + rng.choice(["", "  # c"]) + "\n"
                    + "\n".join(pad + line if line else "" for line in lines))
        if kind == 5:
            return text(rng.randint(1, 3)) + "\n" + " " * (indent + 2) + text(rng.randint(1, 3))
        return text(rng.randint(1, 4))

    def node(depth, indent):
        if depth > 3 or rng.random() < 0.4:
            return scalar(indent)
        if rng.random() < 0.3:
            if rng.random() < 0.5:
                items = (rng.choice(["1", "a", "'q'", "2022-03-30", "x y"]) for _ in range(rng.randint(0, 4)))
                return "[" + ", ".join(items) + "]"
            return "{" + ", ".join(f"{rng.choice(['a', 'b', '2022-03', '1'])}: {rng.choice(['1', 'x', '[1]', '2.5'])}"
                                   for _ in range(rng.randint(0, 3))) + "}"
        pad = " " * (indent + 2)
        if rng.random() < 0.5:
            return "\n" + "\n".join(f"{pad}- {node(depth + 1, indent + 4)}" for _ in range(rng.randint(1, 3)))
        names = ["id", "series", "text", "topic", "2022-03", "2021", "a b", "'q'", "x", "y"]
        keys = rng.sample(names, rng.randint(1, 4))
        return "\n" + "\n".join(f"{pad}{key}: {node(depth + 1, indent + 2)}" for key in keys)

    keys = rng.sample(["schema", "authority", "as_of", "indicators", "notes", "document"], rng.randint(1, 5))
    return "\n".join(f"{key}: {node(0, 0)}" for key in keys) + "\n"


def test_pack_like_documents_the_fast_reader_accepts_read_the_same():
    import random

    rng = random.Random(20261202)
    accepted = 0
    for _ in range(EXAMPLES * 4):
        text = _pack_like(rng)
        got = fast(text)
        if got is not None:
            accepted += 1
            assert got == slow(text), text
    assert accepted > EXAMPLES  # most such documents take the fast path, so the comparison is not vacuous
