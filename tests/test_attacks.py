"""Attack corpus: hostile and careless input through the real CLI. Each case asserts the exit status, that no
traceback is printed, and that the message names the file and the place; hang and signal cases run in a
subprocess with a timeout."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from drafter.cli import app

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "attacks"
SEED = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
BASE = (HERE / "base_pack.yaml").read_text(encoding="utf-8")
CASES = YAML(typ="safe").load((HERE / "pack_cases.yaml").read_text(encoding="utf-8"))
DRAFTER = [sys.executable, "-m", "drafter.cli"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Run every case in its own folder, so a default output name never lands in the repository."""
    monkeypatch.chdir(tmp_path)


def run(*args, env=None):
    """Run drafter in-process and return (exit code, all output)."""
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=True)
    output = result.output + (result.stderr if hasattr(result, "stderr") and result.stderr_bytes else "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"drafter raised {type(result.exception).__name__}: {result.exception}\n{output}")
    return result.exit_code, output


def run_process(*args, timeout=30, cwd=None):
    """Run drafter as a process with a timeout; return (exit code, output)."""
    done = subprocess.run([*DRAFTER, *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return done.returncode, done.stdout + done.stderr


def no_traceback(output: str) -> None:
    assert "Traceback" not in output and "internal error" not in output, output


def pack_text(**changes) -> str:
    values = {**CASES["defaults"], **changes}
    return BASE.format(**values)


# ---------------------------------------------------------------- packs: validate, then letter, refuse

@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_bad_pack_value_is_refused_with_its_line(tmp_path, case):
    value = case["value"].replace("{huge}", "x" * 200_000)
    pack = tmp_path / "pack.yaml"
    pack.write_text(pack_text(**{case["field"]: value}), encoding="utf-8")
    code, output = run("validate", pack)
    no_traceback(output)
    assert code == 2, output
    assert f"pack.yaml:{case['line']}:" in output, output
    assert len(output) < 20_000  # a huge value is never echoed whole
    assert "\x1b" not in output and "\x07" not in output
    code, output = run("letter", pack, "-o", tmp_path / "out.md")
    no_traceback(output)
    assert code == 2 and not (tmp_path / "out.md").exists(), output


def test_base_pack_is_valid_and_drafts(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(pack_text(), encoding="utf-8")
    for args in (("validate", pack), ("letter", pack, "-o", tmp_path / "l.docx"), ("explain", pack)):
        code, output = run(*args)
        assert code == 0, output


EDGE_VALID = [
    {"of": "12.0"}, {"seen": "9.0"}, {"outstanding": "0"}, {"authority": "\"St Helen's\""},
    {"note": "'A note with a line\\nbreak is kept in notes.'"}, {"england": "0"}, {"value2": "0"},
    {"published": "2020"}, {"published": "2020-Q1"}, {"published": "2020-01-31"},
]


@pytest.mark.parametrize("change", EDGE_VALID, ids=[next(iter(c)) + "=" + next(iter(c.values())) for c in EDGE_VALID])
def test_edge_values_that_validate_also_draft(tmp_path, change):
    pack = tmp_path / "pack.yaml"
    pack.write_text(pack_text(**change), encoding="utf-8")
    code, output = run("validate", pack)
    assert code == 0, output
    code, output = run("letter", pack, "-o", tmp_path / "l.docx")
    assert code == 0, output
    code, output = run("explain", pack, "--json")
    assert code == 0 and json.loads(output)["schema"] == "drafter-explain/1"


def test_huge_comparator_on_a_charted_indicator_never_reaches_the_briefing(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(pack_text(england="1.7e308"), encoding="utf-8")
    code, output = run_process("briefing", pack, "-o", tmp_path / "b.docx", timeout=60)
    no_traceback(output)
    assert code == 2 and "pack.yaml:15:" in output, output


def test_percent_fractions_get_a_warning_naming_the_cells(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(pack_text(pct1="0.21", pct2="0.88"), encoding="utf-8")
    code, output = run("validate", pack)
    assert code == 0 and "warning:" in output and "pack.yaml:17:" in output and "88" in output, output


# ---------------------------------------------------------------- YAML and JSON structure

BOMB = "".join(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 10 if i else ['x'] * 10)}]\n"
               for i in range(9))


STRUCTURE = {
    "alias_bomb.yaml": (BOMB, None),
    "deep_flow.yaml": ("a: " + "[" * 3000 + "]" * 3000 + "\n", 1),
    "deep_block.yaml": ("".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n", None),
    "self_alias.yaml": ("a: &a [1, *a]\n", 1),
    "many_aliases.yaml": ("x: &x 1\nlist: [" + ", ".join(["*x"] * 400) + "]\n", 2),
    "long_number.yaml": ("schema: evidence-pack/1\nauthority: A\nas_of: 2022-01-01\nn: " + "9" * 6000 + "\n", 4),
    "deep.json": ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", 1),
    "deep_objects.json": ('{"a": ' + '{"b": ' * 5000 + "1" + "}" * 5000 + "}", 1),
    "nul.yaml": ("schema: evidence-pack/1\nauthority: A\x00B\n", 2),
    "latin1.yaml": (b"schema: evidence-pack/1\nauthority: Bront\xeb\n", 2),
    "utf16.yaml": ("schema: evidence-pack/1\n".encode("utf-16"), None),
    "list_top.yaml": ("- a\n- b\n", 1),
    "scalar_top.json": ("42", 1),
    "empty.yaml": ("", 1),
    "dup_key.yaml": ("schema: evidence-pack/1\nauthority: A\nauthority: B\n", 3),
    "tabs.yaml": ("schema: evidence-pack/1\n\tauthority: A\n", 2),
    "unknown_anchor.yaml": ("schema: evidence-pack/1\nauthority: *nowhere\n", 2),
    "tag.yaml": ("schema: evidence-pack/1\nauthority: !!python/object:os.system ls\nas_of: 2022-01-01\n", None),
}


@pytest.mark.parametrize("name", sorted(STRUCTURE))
def test_hostile_structure_is_refused_quickly_with_its_place(tmp_path, name):
    content, line = STRUCTURE[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    started = time.monotonic()
    code, output = run("validate", path)
    assert time.monotonic() - started < 15
    no_traceback(output)
    assert code == 2, output
    assert f"{name}:" in output
    if line is not None:
        assert f"{name}:{line}" in output, output


def test_alias_bomb_in_a_rulebook_is_refused(tmp_path):
    rules = _rules_copy(tmp_path)
    (rules / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    code, output = run("explain", SEED, env={"DRAFTER_RULES": str(rules)})
    no_traceback(output)
    assert code == 2 and "bomb.yaml:" in output and "alias" in output, output


# ---------------------------------------------------------------- workbooks and CSV folders

def _workbook(tmp_path, rename=None, add=None):
    path = tmp_path / "pack.xlsx"
    code, output = run("convert", SEED, path)
    assert code == 0, output
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for old, new in (rename or {}).items():
        wb[old].title = new
    for title in add or ():
        wb.create_sheet(title)
    wb.save(path)
    return path


@pytest.mark.parametrize("new", ["indicators ", " Indicators", "INDICATORS ", "\tindicators"])
def test_sheet_names_match_ignoring_case_and_spaces(tmp_path, new):
    path = _workbook(tmp_path, rename={"indicators": new})
    code, output = run("validate", path)
    assert code == 0 and "18 indicators" in output, output


@pytest.mark.parametrize("rename,add,words", [
    ({"indicators": "Indicators (2)"}, None, "Indicators (2)"),
    ({"notes": "Notes old"}, None, "Notes old"),
    ({"samples": "sample"}, None, "rename it to 'samples'"),
    (None, ["Pack "], "two sheets"),
    (None, [" notes"], "two sheets"),
    ({"pack": "settings"}, None, "no sheet named 'pack'"),
    (None, ["Sheet1"], "Sheet1"),
])
def test_unknown_or_duplicate_sheet_is_an_error_listing_the_sheets(tmp_path, rename, add, words):
    path = _workbook(tmp_path, rename=rename, add=add)
    code, output = run("validate", path)
    no_traceback(output)
    assert code == 2 and words in output and "pack.xlsx" in output, output
    assert "indicators" in output and "samples" in output  # the expected sheets are listed


def test_percent_typed_as_a_fraction_in_a_workbook_is_warned_with_its_cells(tmp_path):
    path = _workbook(tmp_path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["indicators"]
    header = [c.value for c in ws[1]]
    id_col, value_col = header.index("id") + 1, header.index("value") + 1
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, id_col).value == "workforce.agency_rate"]
    for r in rows:
        ws.cell(r, value_col).value = 0.88
        ws.cell(r, value_col).number_format = "General"
    wb.save(path)
    code, output = run("validate", path)
    assert code == 0 and "warning:" in output and "indicators!" in output and "88" in output, output


def _csv_pack(tmp_path):
    folder = tmp_path / "pack-csv"
    code, output = run("convert", SEED, folder)
    assert code == 0, output
    return folder


def test_csv_unclosed_quote_is_reported_with_its_line(tmp_path):
    folder = _csv_pack(tmp_path)
    notes = folder / "notes.csv"
    lines = notes.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",", ',"', 2) if lines[2].count(",") >= 2 else lines[2] + ',"oops'
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run("validate", folder)
    no_traceback(output)
    assert code == 2 and "notes.csv:3" in output and "quote" in output, output


def test_csv_quote_never_closed_at_end_of_file(tmp_path):
    folder = _csv_pack(tmp_path)
    notes = folder / "notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8") + 'workforce,negative,"never closed\n', encoding="utf-8")
    code, output = run("validate", folder)
    assert code == 2 and "notes.csv:" in output and "quote" in output, output


@pytest.mark.parametrize("old,new", [("notes.csv", "Notes.csv"), ("samples.csv", " samples.csv")])
def test_csv_file_names_match_ignoring_case(tmp_path, old, new):
    folder = _csv_pack(tmp_path)
    (folder / old).rename(folder / new)
    code, output = run("validate", folder)
    assert code == 0, output


def test_csv_unknown_file_is_an_error(tmp_path):
    folder = _csv_pack(tmp_path)
    (folder / "notes.csv").rename(folder / "notes (2).csv")
    code, output = run("validate", folder)
    assert code == 2 and "notes (2).csv" in output and "samples" in output, output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_csv_member_that_is_a_fifo_is_refused_not_waited_on(tmp_path):
    folder = _csv_pack(tmp_path)
    (folder / "notes.csv").unlink()
    os.mkfifo(folder / "notes.csv")
    code, output = run_process("validate", folder, timeout=30)
    no_traceback(output)
    assert code == 2 and "notes.csv" in output and "FIFO" in output, output


# ---------------------------------------------------------------- outputs

def _pack(tmp_path) -> Path:
    pack = tmp_path / "pack.yaml"
    pack.write_text(pack_text(), encoding="utf-8")
    return pack


def _outputs(tmp_path, suffix):
    regular = tmp_path / "regular.txt"
    regular.write_text("keep me")
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    link = tmp_path / f"link{suffix}"
    link.symlink_to(regular)
    cases = {
        "under_a_file": (regular / f"x{suffix}", "folder is a file"),
        "existing_folder": (folder, "existing folder"),
        "dot": (Path("."), "needs a file name"),
        "name_too_long": (tmp_path / ("a" * 300 + suffix), "too long"),
        "symlink": (link, "symbolic link"),
        "device": (Path("/dev/null"), "device"),
        "bundled_reference": (ROOT / "templates" / "reference.docx", "templates folder"),
        "bundled_rulebook": (ROOT / "rules" / f"caseloads{suffix}", "rules or templates folder"),
    }
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / f"fifo{suffix}")
        cases["fifo"] = (tmp_path / f"fifo{suffix}", "FIFO")
    return cases, regular


OUTPUT_CASES = ["under_a_file", "existing_folder", "dot", "name_too_long", "symlink", "device",
                "bundled_reference", "bundled_rulebook", "fifo"]


@pytest.mark.parametrize("command", ["letter", "briefing", "check", "convert", "new-pack"])
@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_bad_output_is_refused_and_nothing_is_lost(tmp_path, command, case):
    cases, regular = _outputs(tmp_path, ".yaml" if command in ("convert", "new-pack") else ".docx")
    if case not in cases:
        pytest.skip("no FIFOs here")
    out, words = cases[case]
    pack = _pack(tmp_path)
    before = {p: p.read_bytes() for p in (pack, regular, ROOT / "templates" / "reference.docx",
                                           ROOT / "rules" / "caseloads.yaml")}
    draft = tmp_path / "draft.md"
    draft.write_text("Caseloads are manageable for all social workers.\n")
    args = {
        "letter": ("letter", pack, "-o", out),
        "briefing": ("briefing", pack, "-o", out),
        "check": ("check", draft, "--evidence", pack, "-o", out),
        "convert": ("convert", pack, out),
        "new-pack": ("new-pack", out, "--force"),
    }[command]
    if case == "fifo" or command == "briefing":
        code, output = run_process(*args, timeout=60, cwd=tmp_path)
    else:
        code, output = run(*args)
    no_traceback(output)
    assert code == 2, output
    if command in ("convert", "new-pack") and case in ("existing_folder", "dot", "bundled_reference", "device"):
        assert "error" in output, output  # a folder is a CSV pack's place; .docx is not a pack format
    elif command == "new-pack" and case == "symlink":
        assert "symbolic link" in output or "exists" in output, output
    else:
        assert words in output, output
    for path, data in before.items():
        assert path.read_bytes() == data
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_over_a_member_of_the_csv_pack_being_read_is_refused(tmp_path):
    folder = _csv_pack(tmp_path)
    before = (folder / "notes.csv").read_bytes()
    code, output = run("letter", folder, "-o", folder / "notes.csv", "--format", "md")
    assert code == 2 and "overwrite an input" in output, output
    assert (folder / "notes.csv").read_bytes() == before


def test_output_over_a_hard_link_to_the_pack_is_refused(tmp_path):
    pack = _pack(tmp_path)
    os.link(pack, tmp_path / "alias.md")
    code, output = run("letter", pack, "-o", tmp_path / "alias.md")
    assert code == 2 and "overwrite an input" in output, output


def test_output_over_the_reference_docx_is_refused(tmp_path):
    pack = _pack(tmp_path)
    reference = tmp_path / "brand.docx"
    reference.write_bytes((ROOT / "templates" / "reference.docx").read_bytes())
    code, output = run("letter", pack, "--reference-docx", reference, "-o", reference)
    assert code == 2 and "overwrite an input" in output, output


def test_full_disk_is_an_error_and_keeps_the_earlier_file(tmp_path, monkeypatch):
    import errno

    pack = _pack(tmp_path)
    out = tmp_path / "letter.docx"
    out.write_bytes(b"earlier letter")
    real_fdopen = os.fdopen

    class Full(io.BufferedWriter):
        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *args, **kwargs):
        if "w" in mode:
            return Full(io.FileIO(fd, "w"))
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    code, output = run("letter", pack, "-o", out)
    monkeypatch.undo()
    assert code == 2 and "disk is full" in output and "letter.docx" in output, output
    assert out.read_bytes() == b"earlier letter"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.docx", "pack.yaml"]


def test_read_only_folder_is_an_error(tmp_path, monkeypatch):
    import errno
    import tempfile

    pack = _pack(tmp_path)

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    code, output = run("letter", pack, "-o", tmp_path / "letter.docx")
    monkeypatch.undo()
    assert code == 2 and "permission denied" in output and "letter.docx" in output, output


def test_new_pack_force_keeps_numbered_backups(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("my filled-in pack\n")
    for n in (1, 2):
        code, output = run("new-pack", target, "--force")
        assert code == 0 and f"mine.yaml.~{n}~" in output, output
    assert (tmp_path / "mine.yaml.~1~").read_text() == "my filled-in pack\n"


# ---------------------------------------------------------------- drafts given to check

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
      '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _docx(path: Path, document: bytes | str | None, extra: dict | None = None, content_types: str | None = CT):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if content_types is not None:
            zf.writestr("[Content_Types].xml", content_types)
        zf.writestr("_rels/.rels", RELS)
        if document is not None:
            zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def _body(inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{inner}</w:body></w:document>'


DRAFTS = {
    "no_body": lambda: f'<w:document {W}></w:document>',
    "root_not_document": lambda: f'<w:foo {W}><w:body/></w:foo>',
    "root_other_namespace": lambda: '<document><body/></document>',
    "utf16_doctype": lambda: (f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY e "x">]><w:document '
                              f'{W}><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>'
                              ).encode("utf-16"),
    "utf16_plain": lambda: _body("<w:p><w:r><w:t>Hi</w:t></w:r></w:p>").replace("UTF-8", "UTF-16").encode("utf-16"),
    "utf32": lambda: _body("<w:p/>").replace("UTF-8", "UTF-32").encode("utf-32"),
    "declared_latin1": lambda: _body("<w:p/>").replace("UTF-8", "ISO-8859-1"),
    "doctype": lambda: f'<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:document {W}><w:body/></w:document>',
    "not_xml": lambda: "this is not xml at all",
    "truncated_xml": lambda: _body("<w:p><w:r><w:t>Hi")[:-30],
    "runs_200k": lambda: _body("<w:p>" + "<w:r><w:t>ab </w:t></w:r>" * 200_000 + "</w:p>"),
    "huge_attribute": lambda: _body(f'<w:p w:rsidR="{"A" * 12_000_000}"><w:r><w:t>x</w:t></w:r></w:p>'),
    "missing_document": lambda: None,
}


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_malformed_docx_is_not_a_readable_word_document(tmp_path, name):
    draft = _docx(tmp_path / f"{name}.docx", DRAFTS[name]())
    started = time.monotonic()
    code, output = run("check", draft, "--evidence", SEED, "--annotate", tmp_path / "annotated.docx")
    assert time.monotonic() - started < 20
    no_traceback(output)
    assert code == 2 and f"{name}.docx" in output, output
    assert "Word document" in output or "runs" in output, output
    assert not (tmp_path / "annotated.docx").exists()


def test_docx_without_content_types_is_refused(tmp_path):
    draft = _docx(tmp_path / "noct.docx", _body("<w:p/>"), content_types=None)
    code, output = run("check", draft, "--evidence", SEED)
    no_traceback(output)
    assert code == 2 and "noct.docx" in output, output


def test_unclosed_comment_ranges_are_read_in_seconds(tmp_path):
    inner = "".join(f'<w:p><w:commentRangeStart w:id="{i}"/><w:r><w:t>Paragraph {i}.</w:t></w:r></w:p>'
                    for i in range(20_000))
    draft = _docx(tmp_path / "ranges.docx", _body(inner))
    started = time.monotonic()
    from drafter.check.read import read_draft

    assert len(read_draft(draft).paragraphs) == 20_000
    assert time.monotonic() - started < 10


def test_annotate_writes_a_docx_that_opens_again(tmp_path):
    draft = _docx(tmp_path / "ok.docx", _body("<w:p><w:r><w:t>Caseloads are manageable for all social workers."
                                                "</w:t></w:r></w:p>"))
    code, output = run("check", draft, "--evidence", SEED, "--annotate", tmp_path / "annotated.docx")
    assert code in (0, 1), output
    import docx

    assert docx.Document(str(tmp_path / "annotated.docx")).paragraphs


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["draft.md", "draft.txt", "draft.docx"])
def test_fifo_draft_is_refused_not_waited_on(tmp_path, name):
    os.mkfifo(tmp_path / name)
    code, output = run_process("check", tmp_path / name, "--evidence", SEED, timeout=30)
    no_traceback(output)
    assert code == 2 and name in output and "FIFO" in output, output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["pack.yaml", "pack.json", "pack.xlsx"])
def test_fifo_pack_is_refused_not_waited_on(tmp_path, name):
    os.mkfifo(tmp_path / name)
    code, output = run_process("validate", tmp_path / name, timeout=30)
    no_traceback(output)
    assert code == 2 and name in output, output


@pytest.mark.parametrize("text", ["\x1b[2J\x1b[31mCaseloads are manageable for all social workers.\x07",
                                  "Caseloads are manageable for all \x9b31m social workers.",
                                  "Caseloads are\u202e manageable for all social workers."])
def test_control_characters_from_a_draft_are_escaped_in_the_text_report(tmp_path, text):
    draft = tmp_path / "draft.txt"
    draft.write_text(text + "\n", encoding="utf-8")
    code, output = run("check", draft, "--evidence", SEED)
    assert code in (0, 1), output
    assert not any(c in output for c in "\x1b\x07\x9b\u202e"), repr(output)


def test_control_characters_in_a_file_name_are_escaped(tmp_path):
    draft = tmp_path / "bad\x1b[31m.md"
    draft.write_text("Caseloads are manageable for all social workers.\n")
    code, output = run("check", draft, "--evidence", tmp_path / "missing\x07.yaml")
    assert code == 2 and "\x1b" not in output and "\x07" not in output, repr(output)


def test_oversized_reference_docx_part_is_refused(tmp_path):
    reference = tmp_path / "brand.docx"
    data = (ROOT / "templates" / "reference.docx").read_bytes()
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("word/media/huge.png", b"\0" * (25 * 1024 * 1024))
    reference.write_bytes(buf.getvalue())
    code, output = run("letter", _pack(tmp_path), "--reference-docx", reference, "-o", tmp_path / "l.docx")
    no_traceback(output)
    assert code == 2 and "brand.docx" in output and "too large" in output, output


def test_reference_docx_that_is_not_a_document_is_refused(tmp_path):
    reference = _docx(tmp_path / "brand.docx", f'<w:foo {W}/>')
    code, output = run("letter", _pack(tmp_path), "--reference-docx", reference, "-o", tmp_path / "l.docx")
    no_traceback(output)
    assert code == 2 and "brand.docx" in output, output


# ---------------------------------------------------------------- user-written templates

TEMPLATES = {
    "huge_power": ("{{ 10**(10**10) }}", "limit"),
    "huge_string": ("{{ 'x' * 10**10 }}", "limit"),
    "huge_list": ("{{ [1] * 10**9 }}", "limit"),
    "nested_ranges": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "limit"),
    "nested_lists": ("{% for i in [1]*100000 %}{% for j in [1]*100000 %}{% endfor %}{% endfor %}", "limit"),
    "big_range": ("{% for i in range(10**12) %}{% endfor %}", "limit"),
    "lipsum": ("{{ lipsum(100000) }}", "lipsum"),
    "divide_by_zero": ("line one\n{{ 1/0 }}", "ZeroDivisionError"),
    "extends_itself": ("{% extends 'evil.md.j2' %}", "itself"),
    "includes_itself": ("{% include 'evil.md.j2' %}", "itself"),
    "recursive_macro": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "itself"),
    "doubling_macro": ("{% macro f(s, n) %}{{ f(s ~ s, n - 1) if n else s }}{% endmacro %}{{ f('x', 60) }}",
                       "limit"),
    "ljust": ("{{ 'x'.ljust(10**9) }}", "limit"),
    "format_width": ("{{ '%0999999999d' % 1 }}", "limit"),
    "format_method": ("{{ '{:>999999999}'.format(1) }}", "limit"),
    "include_absolute": ("{% include '/etc/passwd' %}", "outside the template folder"),
    "include_parent": ("{% include '../../../../etc/passwd' %}", "outside the template folder"),
    "syntax_error": ("{% for x in %}", "syntax"),
    "unknown_name": ("{{ nothing_here }}", "undefined"),
    "attribute_escape": ("{{ ''.__class__.__mro__ }}", "template"),
    "int_of_text": ("{{ 'x' | int + 'y' }}", "template failed"),
    "huge_center": ("{{ 'x' | center(10**9) }}", "limit"),
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_hostile_template_is_bounded_and_located(tmp_path, name):
    body, words = TEMPLATES[name]
    folder = tmp_path / "tpl"
    folder.mkdir()
    template = folder / "evil.md.j2"
    template.write_text(body, encoding="utf-8")
    started = time.monotonic()
    code, output = run("letter", _pack(tmp_path), "--template", template, "-o", tmp_path / "l.md")
    assert time.monotonic() - started < 25
    no_traceback(output)
    assert code == 2 and "evil.md.j2" in output and words in output, output
    assert "root:" not in output  # nothing of /etc/passwd
    assert not (tmp_path / "l.md").exists()


def test_template_include_through_a_symlink_out_of_the_folder_is_refused(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "pw.md.j2").symlink_to("/etc/passwd")
    (folder / "evil.md.j2").write_text("{% include 'pw.md.j2' %}")
    code, output = run("letter", _pack(tmp_path), "--template", folder / "evil.md.j2", "-o", tmp_path / "l.md")
    assert code == 2 and "outside the template folder" in output and "root:" not in output, output


def test_template_that_is_not_utf8_is_located(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "evil.md.j2").write_bytes(b"Dear {{ authority }}\n\xff\xfe broken")
    code, output = run("letter", _pack(tmp_path), "--template", folder / "evil.md.j2", "-o", tmp_path / "l.md")
    no_traceback(output)
    assert code == 2 and "evil.md.j2:2" in output and "UTF-8" in output, output


# ---------------------------------------------------------------- user-written rules and the cache

def _rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder)  # every configuration file and rulebook, as a user's copy would hold
    return folder


def _rulebook(when: str, phrase: str = "Caseloads are manageable.") -> str:
    return textwrap.dedent(f"""\
        schema: rulebook/1
        topic: caseloads
        prefix: ZZ
        description: A hostile rulebook.
        rules:
          - id: ZZ001
            name: caseloads.hostile
            description: d
            why: w
            source: s
            verdict: strength
            when: {json.dumps(when)}
            phrases: [{json.dumps(phrase)}]
            examples:
              - {{name: f, given: {{indicators: [{{id: caseload.average, series: {{2022-03: 17.6}}}}]}}, expect: fires}}
        """)


RULES = {
    "power": ("10**(10**10) > 1", "Caseloads are manageable."),
    "float_power": ("latest('caseload.average') ** 1000.0 > 1", "Caseloads are manageable."),
    "string_times": ("'x' * 10**10 == 'y'", "Caseloads are manageable."),
    "list_times": ("[1] * 10**9 == []", "Caseloads are manageable."),
    "divide": ("1/0 > 1", "Caseloads are manageable."),
    "phrase_divide": ("true", "Caseloads are {{ 1/0 }}."),
    "phrase_power": ("true", "Caseloads are {{ 10**(10**10) }}."),
    "phrase_huge": ("true", "Caseloads are {{ 'x' * 99999 }}{{ 'y' * 99999 }}."),
    "plain_phrase_no_braces": ("true", "Caseloads are (manageable) for all: 100% of workers."),
}
RULES_REFUSED_ON_LOAD = {
    "ljust": "'x'.ljust(10**9) == ''",
    "attribute": "''.__class__ == 1",
    "import": "range(10) == 1",
    "syntax": "latest('caseload.average') >",
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_hostile_rule_is_an_error_outcome_not_a_hang(tmp_path, name):
    when, phrase = RULES[name]
    rules = _rules_copy(tmp_path)
    (rules / "zz.yaml").write_text(_rulebook(when, phrase), encoding="utf-8")
    started = time.monotonic()
    env = {"DRAFTER_RULES": str(rules), "DRAFTER_CACHE": str(tmp_path / "cache")}
    code, output = run("explain", SEED, "--json", env=env)
    assert time.monotonic() - started < 25
    no_traceback(output)
    assert code == 0, output
    outcome = next(o for o in json.loads(output)["outcomes"] if o["rule"] == "ZZ001")
    assert outcome["status"] in ("error", "fires"), outcome
    code, output = run("letter", SEED, "-o", tmp_path / "l.md", env=env)
    no_traceback(output)
    assert code == 0, output


@pytest.mark.parametrize("name", sorted(RULES_REFUSED_ON_LOAD))
def test_unsafe_rule_is_refused_when_the_rulebook_loads(tmp_path, name):
    rules = _rules_copy(tmp_path)
    (rules / "zz.yaml").write_text(_rulebook(RULES_REFUSED_ON_LOAD[name]), encoding="utf-8")
    code, output = run("explain", SEED, env={"DRAFTER_RULES": str(rules), "DRAFTER_CACHE": str(tmp_path / "c")})
    no_traceback(output)
    assert code == 2 and "zz.yaml:12" in output, output


def test_planted_cache_code_is_never_run(tmp_path):
    import marshal

    cache = tmp_path / "cache"
    env = {"DRAFTER_CACHE": str(cache)}
    code, output = run("explain", SEED, env=env)
    assert code == 0, output
    marker = tmp_path / "PWNED"
    evil = compile(f"open({str(marker)!r}, 'w').write('x')", "evil", "exec")
    planted = list(cache.glob("*.code"))
    assert planted
    for path in planted:
        path.write_bytes(marshal.dumps(evil))
    for path in cache.glob("*.json"):
        path.write_text('{"schema": "rulebook/1"}')
    code, output = run_process("explain", SEED, timeout=60) if False else run("explain", SEED, env=env)
    assert code == 0, output
    assert not marker.exists()
    assert oct((cache / "key").stat().st_mode & 0o777) == "0o600"


def test_cache_in_a_folder_others_may_write_is_not_used(tmp_path):
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)
    code, output = run("explain", SEED, env={"DRAFTER_CACHE": str(cache)})
    assert code == 0, output
    assert not list(cache.iterdir())


# ---------------------------------------------------------------- processes

def _batch_packs(tmp_path, n=8):
    folder = tmp_path / "packs"
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i}.yaml").write_bytes(SEED.read_bytes())
    return sorted(folder.glob("*.yaml"))


def _children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        pytest.skip("needs pgrep")
    return [int(x) for x in out.split()]


@pytest.mark.skipif(sys.platform != "linux", reason="worker clean-up is tested on Linux")
def test_batch_workers_end_when_the_batch_is_killed(tmp_path):
    packs = _batch_packs(tmp_path)
    proc = subprocess.Popen([*DRAFTER, "batch", *map(str, packs), "--out", str(tmp_path / "out"), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = _children(proc.pid)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert workers and not any(_alive(w) for w in workers)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="signals are tested on Linux")
def test_ctrl_c_stops_a_batch_promptly_with_a_message_and_no_partial_files(tmp_path):
    packs = _batch_packs(tmp_path, 30)
    out = tmp_path / "out"
    proc = subprocess.Popen([*DRAFTER, "batch", *map(str, packs), "--out", str(out), "--jobs", "2",
                             "--what", "letter,briefing"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(4)
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    output, _ = proc.communicate(timeout=20)
    if proc.returncode == 0:
        pytest.skip("the batch finished before the signal")
    assert time.monotonic() - started < 5
    assert proc.returncode == 130, output
    assert "interrupted" in output and "Traceback" not in output, output
    assert not [p for p in out.glob(".*")] if out.exists() else True


@pytest.mark.skipif(sys.platform != "linux", reason="signals are tested on Linux")
def test_ctrl_c_during_a_letter_exits_130(tmp_path):
    proc = subprocess.Popen([*DRAFTER, "briefing", str(SEED), "-o", str(tmp_path / "b.docx")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(0.6)  # mid-way: imports and drafting take over a second
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=20)
    if proc.returncode == 0 or "wrote " in output:
        pytest.skip("the briefing finished before the signal")
    assert proc.returncode == 130 and "interrupted" in output and "Traceback" not in output, output
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
