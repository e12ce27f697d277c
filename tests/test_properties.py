"""Property-based tests (hypothesis): the next class of hostile input should be found here, not by a user.

* text fields and command-line values: any text is either accepted as clean text within its limit or refused
  with one of our codes; the command line never ends in a traceback and never echoes a control character;
* the EXIF reader and the decoder on mutated JPEGs (bit flips, overwrites, truncations of a real Pillow-made
  JPEG with EXIF): only facts within their ranges, our refusals, or the time budget — never another exception;
* file names in every encoding, on a real file system, through a real import: each file gets a result, each
  name is shown readably and kept exactly.

Examples are bounded so the module runs in well under a minute; deadlines are off where processes or files
are involved (the machine is shared and slow at times).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import string
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inspect_app import cli
from inspect_app.errors import UserError
from inspect_app.evidence.exif import MAX_YEAR, MIN_YEAR, BudgetExceeded, ExifFacts, read_exif, time_budget
from inspect_app.evidence.images import make_derivatives
from inspect_app.models.evidence import Photo
from inspect_app.models.store import open_store
from inspect_app.rules import make_uscc
from inspect_app.rules.text import TEXT_FIELDS, clean_text, decode_text_file, display_name, raw_name
from inspect_app.services import casework, enterprises
from inspect_app.services.audit import verify_audit
from tests.evidence_fixtures import jpeg_bytes, make_exif, pattern_image

TEXT_CODES = {"E_TEXT_TOO_LONG", "E_TEXT_CONTROL_CHAR", "E_TEXT_ENCODING", "E_TEXT_REQUIRED"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Text as people and attackers type it: CJK, ASCII, controls, bidi overrides, escaped bytes, long runs.
hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("郑州市水泥磨拆除\x1b\x07\x00\n\r\t\u202e\u2066\udc80\udcff "),
    ),
    max_size=80,
) | st.builds(lambda ch, n: ch * n, st.sampled_from(["办", "a", " "]), st.integers(0, 6000))

FAST = settings(max_examples=300, deadline=None)
IO = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- text fields ------------------------------------------------------------------------------------------


@FAST
@given(value=hostile_text, field=st.sampled_from(sorted(TEXT_FIELDS)), required=st.booleans())
def test_clean_text_accepts_clean_text_or_refuses_with_a_code(value: str, field: str, required: bool) -> None:
    spec = TEXT_FIELDS[field]
    try:
        out = clean_text(value, field, required=required)
    except UserError as exc:
        assert exc.code in TEXT_CODES
        return
    assert len(out) <= spec.max_len and out == out.strip()
    assert not CONTROL.search(out.replace("\n", "").replace("\t", "") if spec.block else out)
    assert "\r" not in out and (spec.block or "\n" not in out)
    out.encode("utf-8")  # storable
    assert clean_text(out, field) == out  # clean text stays as it is
    assert not required or out


@FAST
@given(value=st.binary(max_size=400) | hostile_text.map(lambda t: t.encode("gb18030", "replace")))
def test_decode_text_file_gives_text_or_a_clear_refusal(value: bytes) -> None:
    try:
        text = decode_text_file(value)
    except UserError as exc:
        assert exc.code == "E_TEXT_ENCODING"
        return
    text.encode("utf-8")
    assert "\x00" not in text


@FAST
@given(value=st.text(max_size=30) | st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True))
def test_dates_on_the_command_line_parse_or_say_why(value: str) -> None:
    try:
        parsed = cli.iso_date(value)
    except argparse.ArgumentTypeError as exc:
        message = str(exc)
        assert "不是真实的日期" in message or "日期格式应为" in message
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            assert "不是真实的日期" in message  # well-formed: never blamed on the format
        return
    assert isinstance(parsed, date)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(["--json", "--data-dir", "/x", "--db-url", "inspection", "list", "-h",
                                       "photos", "--data-dir=/y", "opinion", "--data", "--db", "show"])
                      | st.text(max_size=8), max_size=6))
def test_the_parser_built_for_one_command_reads_like_the_full_one(words: list[str]) -> None:
    def outcome(parser: argparse.ArgumentParser) -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                ns = parser.parse_args(words)
            except SystemExit as exc:
                return int(exc.code or 0), err.getvalue().splitlines()[-1] if err.getvalue() else ""
        keep = {k: v for k, v in vars(ns).items() if k != "handler"}
        return 0, repr(sorted(keep.items())) + repr(getattr(getattr(ns, "handler", None), "__name__", None))

    assert outcome(cli.build_parser(cli.command_name(words))) == outcome(cli.build_parser())


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("prop-cli") / "data"
    with open_store(data) as store, store.transaction() as s:
        enterprises.register_enterprise(s, name="新密市属性测试钢铁有限公司", uscc=make_uscc("410183", 4), region="410183")
    return data


@IO
@given(name=hostile_text, unit=hostile_text)
def test_cli_values_never_end_in_a_traceback_or_echo_controls(cli_store: Path, name: str, unit: str) -> None:
    assume(not name.startswith("-") and not unit.startswith("-"))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["--data-dir", str(cli_store), "equipment", "add", "--enterprise", make_uscc("410183", 4),
                           "--name", name, "--capacity", "1", "--unit", unit, "--sector", "steel"])
    assert status in (0, 1)
    if status:
        assert re.match(r"E_[A-Z_]+: ", err.getvalue()), err.getvalue()
        assert not CONTROL.search(err.getvalue().rstrip("\n")), err.getvalue()
    with open_store(cli_store, read_only=True) as store, store.reader() as s:
        assert verify_audit(s, check_rows=False).ok


# --- EXIF and decoding on mutated JPEGs -------------------------------------------------------------------


def _base_jpeg() -> bytes:
    exif = make_exif(taken="2021:05:03 10:15:30", offset="+08:00", subsec="120", gps=(34.4612, 113.0841),
                     altitude=350.5, orientation=6, software="HDR+ 1.0")
    return jpeg_bytes(pattern_image(7, (96, 72)), exif=exif)


BASE = _base_jpeg()
EXIF_END = BASE.index(b"\xff\xdb")  # the mutations aim at the metadata, then anywhere
mutation = st.one_of(
    st.tuples(st.just("flip"), st.lists(st.tuples(st.integers(2, EXIF_END), st.integers(0, 7)), min_size=1, max_size=8)),
    st.tuples(st.just("flip_any"), st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 7)), min_size=1,
                                            max_size=8)),
    st.tuples(st.just("set"), st.lists(st.tuples(st.integers(2, EXIF_END), st.integers(0, 255)), min_size=1, max_size=6)),
    st.tuples(st.just("cut"), st.integers(0, len(BASE))),
)


def _mutate(kind: str, arg: object) -> bytes:
    data = bytearray(BASE)
    if kind == "cut":
        assert isinstance(arg, int)
        return bytes(data[:arg])
    assert isinstance(arg, list)
    for pos, value in arg:
        if kind == "set":
            data[pos] = value
        else:
            data[pos] ^= 1 << value
    return bytes(data)


def _facts_in_range(facts: ExifFacts) -> None:
    if facts.taken_at is not None:
        assert MIN_YEAR <= facts.taken_at.year <= MAX_YEAR and isinstance(facts.taken_at, datetime)
    if facts.gps_lat is not None or facts.gps_lon is not None:
        assert facts.gps_lat is not None and facts.gps_lon is not None
        assert -90 <= facts.gps_lat <= 90 and -180 <= facts.gps_lon <= 180
    assert facts.orientation is None or 1 <= facts.orientation <= 8
    for text in (facts.make, facts.model, facts.software, *facts.raw.values(), *facts.raw.keys()):
        if text is not None:
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
            text.encode("utf-8")


@settings(max_examples=400, deadline=None)
@given(change=mutation)
def test_mutated_jpegs_give_facts_or_our_refusals_only(change: tuple[str, object]) -> None:
    data = _mutate(*change)
    try:
        with time_budget(5.0):
            facts = read_exif(data)
    except BudgetExceeded:
        facts = ExifFacts(parse_error="E_EXIF_TIMEOUT")  # what the pipeline records; never a crash
    _facts_in_range(facts)
    try:
        derived = make_derivatives(data)
    except UserError as exc:
        assert exc.code in {"E_PHOTO_EMPTY", "E_PHOTO_NOT_IMAGE", "E_PHOTO_UNSUPPORTED", "E_PHOTO_CORRUPT",
                            "E_PHOTO_TOO_LARGE"}, exc.code
        return
    assert derived.width > 0 and derived.height > 0 and derived.thumb_jpeg.startswith(b"\xff\xd8")


# --- file names in every encoding -------------------------------------------------------------------------

ENCODINGS = ["utf-8", "gbk", "gb18030", "big5", "shift_jis", "euc-kr", "latin-1", "cp1252", "koi8-r"]
name_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\\\x00"), min_size=1, max_size=20)


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "replace").replace(b"/", b"_").replace(b"\x00", b"_")


@FAST
@given(text=name_text, encoding=st.sampled_from(ENCODINGS))
def test_any_name_is_shown_readably_and_kept_exactly(text: str, encoding: str) -> None:
    raw = _encoded(text, encoding) + b".jpg"
    name = os.fsdecode(raw)
    shown = display_name(name)
    shown.encode("utf-8")
    assert not CONTROL.search(shown.replace("\u0085", "")) or "\\x" in shown
    kept = raw_name(name)
    if kept is not None and os.name == "posix":
        assert bytes.fromhex(kept) == raw or bytes.fromhex(kept) == name.encode("utf-8")
    if kept is None:
        assert shown == name


@pytest.fixture(scope="module")
def import_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("prop-names") / "data"
    with open_store(data) as store:
        with store.transaction() as s:
            ent = enterprises.register_enterprise(s, name="新密市文件名测试有限公司", uscc=make_uscc("410183", 5),
                                                  region="410183", lat=34.5, lon=113.4)
        with store.transaction() as s:
            eq = enterprises.add_equipment(s, enterprise_id=ent.id, name="1号炉", capacity="1", unit="万吨/年",
                                           sector="steel")
        with store.transaction() as s:
            insp = casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=[eq.id],
                                            planned_on=date(2021, 10, 1))
    return data, insp.id


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(st.tuples(name_text, st.sampled_from(ENCODINGS)), min_size=1, max_size=4),
       stage=st.sampled_from(["before", "during", "after"]))
def test_import_of_files_named_in_any_encoding(import_case: tuple[Path, str], names: list[tuple[str, str]],
                                               stage: str) -> None:
    from inspect_app.services.photos import import_photos

    if os.name != "posix":
        pytest.skip("only POSIX file systems store names as bytes")
    data, inspection = import_case
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(os.fsencode(tmp), b"card")
        os.mkdir(folder)
        made: set[bytes] = set()
        for i, (text, encoding) in enumerate(names):
            raw = _encoded(text, encoding)[:120] + f"-{i}.jpg".encode()
            if raw in made or raw.startswith(b"."):  # hidden files are skipped by the import, by design
                continue
            made.add(raw)
            with open(os.path.join(folder, raw), "wb") as fh:
                fh.write(jpeg_bytes(pattern_image(len(made) + 40 * i)))
        with open_store(data) as store:
            results = import_photos(store, inspection_id=inspection, stage=stage, paths=[Path(os.fsdecode(folder))],
                                    workers=1)
            assert len(results) == len(made)
            for result in results:
                result.path.encode("utf-8")
                assert result.status in ("imported", "present"), (result.code, result.message)
                if result.raw_path is not None:
                    assert os.path.basename(bytes.fromhex(result.raw_path)) in made
            imported = [r.photo_id for r in results if r.status == "imported"]  # "present": filed earlier
            with store.reader() as s:
                for row in s.scalars(select(Photo).where(Photo.id.in_(imported))):
                    row.original_name.encode("utf-8")
                    assert len(row.original_name) <= 260
                    kept = row.exif.get("_original_name_hex")
                    assert kept is None or bytes.fromhex(kept) in made
                assert verify_audit(s, check_rows=False).ok


def test_strategies_cover_what_they_claim() -> None:
    # Keep the generators honest: the hostile alphabet contains what the properties are about.
    assert set("\x1b\x07\x00\u202e\udc80") <= set("郑州市水泥磨拆除\x1b\x07\x00\n\r\t\u202e\u2066\udc80\udcff ")
    assert all(ch not in string.printable for ch in "\x1b\x07")
