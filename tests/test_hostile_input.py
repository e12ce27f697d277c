"""Hostile input (issue 8, item 8): each class gets a clear E_… code or the right flag, never a traceback.

Real files throughout: non-UTF-8 and GBK file names on disk, GBK text files, JPEGs with a damaged TIFF header,
oversized image headers, an EXIF block slow enough to run out its time budget, opinion PDFs parsed back with
``pdftotext -bbox``. The full-disk and read-only-folder cases run on a small tmpfs mounted for the test (see that section).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from inspect_app.errors import UserError
from inspect_app.evidence import pipeline
from inspect_app.evidence.blobstore import BlobStore
from inspect_app.evidence.exif import BudgetExceeded, read_exif, time_budget
from inspect_app.evidence.images import MAX_PIXELS, open_image
from inspect_app.models.evidence import Photo
from inspect_app.models.store import Store, open_store
from inspect_app.rules import make_uscc
from inspect_app.rules.text import TEXT_FIELDS, clean_text, decode_text_file, display_name, raw_name
from inspect_app.services import casework, enterprises, settings
from inspect_app.services.audit import verify_audit
from tests.evidence_fixtures import bomb_jpeg_header, jpeg_bytes, pattern_image, photo
from tests.pdf_fixtures import sample_document

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2021, 10, 28)
GBK_NAME = "现场照片-拆除前".encode("gbk") + b".jpg"  # as a Chinese Windows USB stick stores it
BAD_UTF8_NAME = b"IMG_\xff\xfe_0001.jpg"  # bytes that are no encoding at all


def run_cli(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "INSPECT_APP_TODAY": TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "inspect_app", "--data-dir", str(data), *argv],
                          capture_output=True, text=True, cwd=REPO, env=env, stdin=subprocess.DEVNULL)


def make_inspection(store: Store, serial: int = 1) -> str:
    with store.transaction() as s:
        ent = enterprises.register_enterprise(s, name=f"新密市测试{serial}号钢铁有限公司", uscc=make_uscc("410183", serial),
                                              region="410183", address="新密市来集镇", lat=34.5, lon=113.4)
    with store.transaction() as s:
        eq = enterprises.add_equipment(s, enterprise_id=ent.id, name="1号中频炉", capacity="12", unit="万吨/年",
                                       sector="steel")
    with store.transaction() as s:
        insp = casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=[eq.id], planned_on=TODAY)
    return insp.id


def _write_bytes_name(folder: Path, name: bytes, content: bytes) -> None:
    try:
        with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
            fh.write(content)
    except (OSError, UnicodeError) as exc:  # Windows and macOS file systems store Unicode names only
        pytest.skip(f"this file system cannot store a non-UTF-8 name: {exc}")


# --- file names that are not UTF-8 ------------------------------------------------------------------------


def test_gbk_and_undecodable_file_names_are_imported_and_kept_losslessly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:
        inspection = make_inspection(store)
    folder = tmp_path / "U盘"
    folder.mkdir()
    _write_bytes_name(folder, GBK_NAME, jpeg_bytes(pattern_image(1)))
    _write_bytes_name(folder, BAD_UTF8_NAME, jpeg_bytes(pattern_image(2)))
    (folder / "正常.jpg").write_bytes(jpeg_bytes(pattern_image(3)))

    result = run_cli(data, "--json", "photos", "import", "--inspection", inspection, "--stage", "before", str(folder))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert [r["status"] for r in report] == ["imported"] * 3  # the whole folder, none lost
    by_name = {Path(r["path"]).name: r for r in report}
    assert set(by_name) == {"现场照片-拆除前.jpg", "IMG_\\xff\\xfe_0001.jpg", "正常.jpg"}
    assert bytes.fromhex(by_name["现场照片-拆除前.jpg"]["raw_path"]).endswith(b"/" + GBK_NAME)
    assert bytes.fromhex(by_name["IMG_\\xff\\xfe_0001.jpg"]["raw_path"]).endswith(b"/" + BAD_UTF8_NAME)
    assert "raw_path" not in by_name["正常.jpg"]

    with open_store(data) as store, store.reader() as s:
        rows = {row.original_name: row for row in s.scalars(select(Photo))}
        assert set(rows) == {"现场照片-拆除前.jpg", "IMG_\\xff\\xfe_0001.jpg", "正常.jpg"}
        assert bytes.fromhex(rows["现场照片-拆除前.jpg"].exif["_original_name_hex"]) == GBK_NAME
        assert bytes.fromhex(rows["IMG_\\xff\\xfe_0001.jpg"].exif["_original_name_hex"]) == BAD_UTF8_NAME
        assert "_original_name_hex" not in rows["正常.jpg"].exif
        assert verify_audit(s).ok

    text = run_cli(data, "photos", "import", "--inspection", inspection, "--stage", "after", str(folder))
    assert text.returncode == 0 and "现场照片-拆除前.jpg" in text.stdout, text.stderr


def test_display_name_rules() -> None:
    gbk = os.fsdecode(GBK_NAME) if os.name == "posix" else GBK_NAME.decode("gbk")
    assert display_name(gbk) == "现场照片-拆除前.jpg"
    assert raw_name("现场.jpg") is None and display_name("现场.jpg") == "现场.jpg"
    assert display_name("a\x1b[31mb.jpg") == "a\\x1b[31mb.jpg" and raw_name("a\x1b[31mb.jpg") is not None
    assert display_name("x\udc80.jpg") == "x\\x80.jpg"  # a lone escaped byte that GB18030 cannot read
    assert display_name("\ud800.jpg") == "\\xed\\xa0\\x80.jpg"  # a lone surrogate from an NTFS name


# --- text files in GBK ------------------------------------------------------------------------------------


def test_text_files_in_utf8_utf16_and_gbk_are_read_or_refused_clearly() -> None:
    body = "经现场核查，该企业的水泥磨已拆除。\n设备未向其他地区转移。"
    assert decode_text_file(body.encode("gbk")) == body
    assert decode_text_file(body.encode("utf-8")) == body
    assert decode_text_file(b"\xef\xbb\xbf" + body.encode("utf-8")) == body
    assert decode_text_file(body.encode("utf-16")) == body
    with pytest.raises(UserError) as err:
        decode_text_file(bytes(range(256)) * 4, "正文文件")
    assert err.value.code == "E_TEXT_ENCODING" and "正文文件" in err.value.message


def test_opinion_body_file_that_is_no_text_is_refused_before_anything(tmp_path: Path) -> None:
    binary = tmp_path / "body.bin"
    binary.write_bytes(jpeg_bytes())
    result = run_cli(tmp_path / "data", "opinion", "issue", "--inspection", "x", "--conclusion", "pass",
                     "--out", str(tmp_path / "o.pdf"), "--body-file", str(binary))
    assert result.returncode == 1 and result.stderr.startswith("E_TEXT_ENCODING: "), result.stderr
    assert not (tmp_path / "o.pdf").exists()


# --- EXIF: a TIFF header with an invalid byte-order mark, the time budget ------------------------------------


def _with_byte_order(jpeg: bytes, mark: bytes) -> bytes:
    at = jpeg.index(b"Exif\x00\x00") + 6
    assert jpeg[at:at + 2] in (b"II", b"MM")
    return jpeg[:at] + mark + jpeg[at + 2:]


@pytest.mark.parametrize("mark", [b"XX", b"IM", b"\x00\x00"])
def test_tiff_header_with_invalid_byte_order_is_malformed_and_unused(mark: bytes) -> None:
    good = photo(gps=(34.5, 113.4), taken="2021:05:03 10:15:30")
    assert read_exif(good).taken_at is not None and read_exif(good).has_gps
    facts = read_exif(_with_byte_order(good, mark))
    assert facts.parse_error is not None and facts.parse_error.startswith("E_EXIF_MALFORMED")
    assert facts.taken_at is None and not facts.has_gps and facts.make is None


def test_invalid_byte_order_photo_is_imported_and_flagged(store: Store, tmp_path: Path) -> None:
    from inspect_app.services.photos import import_photos

    inspection = make_inspection(store)
    path = tmp_path / "bad-order.jpg"
    path.write_bytes(_with_byte_order(photo(gps=(34.5, 113.4)), b"XX"))
    [result] = import_photos(store, inspection_id=inspection, stage="before", paths=[path], workers=1)
    assert result.status == "imported" and result.taken_at is None
    assert "exif_malformed" in result.flags and "no_time" in result.flags
    with store.reader() as s:
        row = s.scalars(select(Photo)).one()
        assert row.exif["_parse_error"] == "E_EXIF_MALFORMED" and row.lat is None


def _slow_exif_jpeg(entries: int = 5000, count: int = 100) -> bytes:
    """A valid JPEG whose IFD0 lists thousands of unknown tags of 100 values each: exifread needs ~2 s for it."""
    ifd = struct.pack("<H", entries) + b"".join(
        struct.pack("<HHII", 0xC000 + (i % 0x3000), 3, count, 8) for i in range(entries))
    body = b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)
    base = jpeg_bytes(pattern_image(5))
    return base[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + base[2:]


def test_exif_parse_stopped_by_the_budget_is_a_timeout_not_malformed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(__import__("signal"), "setitimer"):
        pytest.skip("the time budget needs SIGALRM (POSIX)")
    data = _slow_exif_jpeg()
    with pytest.raises(BudgetExceeded), time_budget(0.2):  # the budget ends inside exifread, and is not eaten
        read_exif(data)
    path = tmp_path / "slow.jpg"
    path.write_bytes(data)
    monkeypatch.setattr(pipeline, "EXIF_BUDGET_S", 0.2)
    result = pipeline.process_one(path, BlobStore(tmp_path / "blobs"))
    assert result.status == "ok", result.message
    assert result.exif_problem == "E_EXIF_TIMEOUT"
    assert result.facts is not None and result.facts.parse_error == "E_EXIF_TIMEOUT"


def test_budget_alarm_swallowed_where_it_lands_still_ends_the_block_as_a_timeout() -> None:
    # The alarm may land inside a weakref callback or __del__, where Python prints the exception and drops it
    # (CI saw exactly that); the block must still end as over budget, not return its late result.
    import time

    if not hasattr(__import__("signal"), "setitimer"):
        pytest.skip("the time budget needs SIGALRM (POSIX)")
    finished = False
    with pytest.raises(BudgetExceeded), time_budget(0.05):
        try:
            time.sleep(1.0)  # interrupted by the alarm …
        except BudgetExceeded:
            pass  # … whose exception is lost, as in a callback
        finished = True
    assert finished
    with time_budget(0.5):  # a block within its budget is untouched
        pass


# --- the pixel limit --------------------------------------------------------------------------------------


def test_pixel_limit_is_the_one_the_message_names() -> None:
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS == 100_000_000  # set deliberately, not Pillow's 89.5 MP default
    open_image(bomb_jpeg_header(10_000, 9_400))  # 94 MP: under the stated limit, so not refused as too large
    with pytest.raises(UserError) as err:
        open_image(bomb_jpeg_header(12_000, 10_000))  # 120 MP: our header check
    assert err.value.code == "E_PHOTO_TOO_LARGE"
    assert "120 百万像素" in err.value.message and "上限 100 百万像素" in err.value.message
    with pytest.raises(UserError) as err:
        open_image(bomb_jpeg_header(20_000, 12_500))  # 250 MP: past twice the limit, Pillow's own error
    assert err.value.code == "E_PHOTO_TOO_LARGE" and "250 百万像素" in err.value.message


# --- text fields: one rule at the service layer -----------------------------------------------------------


@pytest.mark.parametrize(("value", "code"), [
    ("办" * 41, "E_TEXT_TOO_LONG"),
    ("郑州市\x1b[31m办公室", "E_TEXT_CONTROL_CHAR"),
    ("郑州市\x07办公室", "E_TEXT_CONTROL_CHAR"),
    ("郑州市\n办公室", "E_TEXT_CONTROL_CHAR"),
    ("郑州市\u202e室公办", "E_TEXT_CONTROL_CHAR"),
    ("郑州市\udcff办公室", "E_TEXT_ENCODING"),
    ("   ", "E_SETTING_INVALID"),
])
def test_office_name_is_refused_at_the_service(store: Store, value: str, code: str) -> None:
    with pytest.raises(UserError) as err, store.transaction() as s:
        settings.set_setting(s, "office_name", value)
    assert err.value.code == code
    with store.reader() as s:
        assert settings.get_setting(s, "office_name") == settings.DEFAULTS["office_name"]


def test_names_units_and_team_are_checked_by_the_same_rule(store: Store) -> None:
    with store.transaction() as s:
        ent = enterprises.register_enterprise(s, name="新密市测试钢铁有限公司", uscc=make_uscc("410183", 9),
                                              region="410183")
    cases = [
        dict(name="炉\x1b", capacity="1", unit="吨"),
        dict(name="炉", capacity="1", unit="吨" * 33),
        dict(name="炉" * 201, capacity="1", unit="吨"),
        dict(name="炉", capacity="1", unit="万吨/年", model="\x00"),
    ]
    for kwargs in cases:
        with pytest.raises(UserError) as err, store.transaction() as s:
            enterprises.add_equipment(s, enterprise_id=ent.id, sector="steel", **kwargs)  # type: ignore[arg-type]
        assert err.value.code in ("E_TEXT_TOO_LONG", "E_TEXT_CONTROL_CHAR"), kwargs
    with pytest.raises(UserError) as err, store.transaction() as s:
        casework.plan_inspection(s, enterprise_id=ent.id, equipment_ids=[], planned_on=TODAY,
                                 team=[{"name": "王\a建国"}])
    assert err.value.code in ("E_TEXT_CONTROL_CHAR", "E_NO_EQUIPMENT")
    with store.transaction() as s:  # multi-line fields keep their line breaks, and nothing else
        eq = enterprises.add_equipment(s, enterprise_id=ent.id, name="  1号炉  ", capacity="1", unit="吨",
                                       sector="steel", notes="第一行\r\n第二行")
    assert eq.name == "1号炉"
    with store.reader() as s:
        assert verify_audit(s).ok


def test_cli_refuses_control_characters_and_long_values(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_cli(data, "settings", "set", "office_name", "办" * 40_000)
    assert result.returncode == 1 and result.stderr.startswith("E_TEXT_TOO_LONG: "), result.stderr
    result = run_cli(data, "enterprise", "add", "--name", "恶意\x1b]0;title\x07企业", "--uscc", make_uscc("410183", 3),
                     "--region", "410183")
    assert result.returncode == 1 and result.stderr.startswith("E_TEXT_CONTROL_CHAR: ")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr  # never echoed raw to the terminal


def test_refusals_speak_english_when_the_command_line_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECT_APP_LANG", "en")
    data = tmp_path / "data"
    result = run_cli(data, "settings", "set", "office_name", "办" * 41)
    assert result.stderr.startswith("E_TEXT_TOO_LONG: Issuing office name is too long: 41 characters, 40 at most"), \
        result.stderr
    result = run_cli(data, "enterprise", "add", "--name", "恶意\x07企业", "--uscc", make_uscc("410183", 3),
                     "--region", "410183")
    assert result.stderr.startswith("E_TEXT_CONTROL_CHAR: Enterprise name contains a control character"), result.stderr
    result = run_cli(data, "finding", "add", "--equipment", "x", "--aspect", "energy", "--found-on", "2021-02-30")
    assert "2021-02-30 is not a real date: month 2 of 2021 has only 28 days" in result.stderr, result.stderr
    result = run_cli(tmp_path, "--data-dir", "", "inspection", "list")
    assert result.stderr.startswith("E_DATA_DIR_INVALID: The data folder must not be empty"), result.stderr
    # In the window the same messages follow the language it is switched to.
    from inspect_app import i18n

    i18n.set_language("en")
    with pytest.raises(UserError) as err:
        decode_text_file(b"\x00\xff\x00\xfe" * 8)
    assert err.value.message == "The file: the encoding is not recognised; save it as a UTF-8 (or GBK) text file"
    with pytest.raises(UserError) as err:
        open_image(bomb_jpeg_header(12_000, 10_000))
    assert err.value.message == ("The image has too many pixels (120 megapixels, the limit is 100 megapixels) "
                                 "and cannot be processed")


def test_text_field_limits_fit_the_database_columns() -> None:
    from inspect_app.models import Enterprise, Equipment

    columns = {"enterprise_name": Enterprise.__table__.c.name, "address": Enterprise.__table__.c.address,
               "contact_name": Enterprise.__table__.c.contact_name, "equipment_name": Equipment.__table__.c.name,
               "model": Equipment.__table__.c.model, "unit": Equipment.__table__.c.unit}
    for field, column in columns.items():
        assert TEXT_FIELDS[field].max_len <= column.type.length, field
    assert clean_text("  a\r\nb  ", "notes") == "a\nb"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed")
def test_longest_allowed_values_stay_on_the_pdf_page(tmp_path: Path) -> None:
    from inspect_app.reports.opinion_model import EnterpriseInfo, TeamMember
    from inspect_app.reports.opinion_pdf import render_opinion_pdf

    doc = sample_document(tmp_path / "fx", photos_per_stage=(1, 1, 1), photo_size=(400, 300))
    longest = {f: "寬" * spec.max_len for f, spec in TEXT_FIELDS.items()}
    doc = dataclasses.replace(
        doc, issuing_office=longest["office_name"],
        enterprise=EnterpriseInfo(name=longest["enterprise_name"], uscc=doc.enterprise.uscc,
                                  address=longest["address"], region="郑州市"),
        team=(TeamMember(longest["person_name"], longest["organisation"], longest["title"], None),))
    out = tmp_path / "long.pdf"
    render_opinion_pdf(doc, out, signature_box=False)
    bbox = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S)
    assert pages
    for width, height, body in pages:
        for x_min, y_min, x_max, y_max in re.findall(
                r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)"', body):
            assert float(x_min) >= 0 and float(x_max) <= float(width) + 0.5, (x_min, x_max)
            assert float(y_min) >= 0 and float(y_max) <= float(height) + 0.5
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    author = next(line for line in info.splitlines() if line.startswith("Author:"))
    assert author.split(None, 1)[1] == "寬" * 40  # the Author (the office) is bounded too


# --- the command line: data folder, init, dates -------------------------------------------------------------


def test_empty_data_dir_is_refused(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--data-dir", "", "inspection", "list")  # the last --data-dir wins
    assert result.returncode == 1 and result.stderr.startswith("E_DATA_DIR_INVALID: "), result.stderr
    with pytest.raises(UserError) as err:
        open_store("  ")
    assert err.value.code == "E_DATA_DIR_INVALID"


def test_init_prints_the_path_as_it_is(tmp_path: Path) -> None:
    data = tmp_path / "数据 目录#1"
    result = run_cli(data, "init")
    assert result.returncode == 0, result.stderr
    assert f"数据库已就绪：{data / 'inspect.db'}" in result.stdout
    assert "%" not in result.stdout


@pytest.mark.parametrize(("text", "expected"), [
    ("2021-02-30", "2021-02-30 不是真实的日期：2021 年 2 月只有 28 天"),
    ("2020-02-30", "2020 年 2 月只有 29 天"),
    ("2021-13-01", "月份应为 01–12"),
    ("2021/02/03", "日期格式应为 YYYY-MM-DD"),
])
def test_impossible_dates_are_told_apart_from_bad_format(tmp_path: Path, text: str, expected: str) -> None:
    result = run_cli(tmp_path / "data", "finding", "add", "--equipment", "x", "--aspect", "energy",
                     "--found-on", text)
    assert result.returncode == 2 and expected in result.stderr, result.stderr


# --- readers take no lock -----------------------------------------------------------------------------------

# Commands that only read: they open the store without the data-folder lock (and read-only), so they work while
# the window has the folder open, and on a read-only or full data folder.
READ_COMMANDS: list[list[str]] = [
    ["inspection", "list"], ["enterprise", "list"], ["audit", "verify"], ["settings", "show"],
    ["opinion", "list"], ["device", "list"], ["conflicts", "list"], ["bundle", "history"],
]


def test_read_commands_work_while_the_window_holds_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with open_store(data) as store:  # holds the lock, as the open window does
        make_inspection(store, 1)
        for argv in READ_COMMANDS:
            result = run_cli(data, *argv)
            assert result.returncode == 0, (argv, result.stderr)
        report = run_cli(data, "report", "survey", "--year", "2021", "--out", str(tmp_path / "survey.csv"))
        assert report.returncode == 0 and (tmp_path / "survey.csv").is_file(), report.stderr
        written = run_cli(data, "enterprise", "add", "--name", "新密市某钢铁有限公司", "--uscc",
                          make_uscc("410183", 9), "--region", "410183")
        assert written.returncode == 1 and written.stderr.startswith("E_STORE_LOCKED: "), written.stderr


# --- a full disk and a read-only data folder, for real ----------------------------------------------------
#
# A full disk and a read-only data folder, for real: the store lives on a small tmpfs mounted for the test.
#
# Why a mount: a size-limited tmpfs makes the kernel answer ENOSPC to SQLite's own writes (the database, its
# write-ahead log and its shared-memory file) exactly as a full USB stick or laptop disk does, and a read-only
# remount answers EROFS even to root (CI runs as root, and root ignores permission bits). SQLite's
# ``max_page_count`` would only fake "full" inside SQLite, and an ``RLIMIT_FSIZE`` child is killed by SIGXFSZ
# rather than seeing ENOSPC. Mounting needs root (or CAP_SYS_ADMIN): elsewhere these tests are skipped, under
# CI they fail instead.

Mount = Callable[..., Path]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Mount]:
    """Mount a tmpfs of ``size_kb`` at a fresh folder; unmounted at the end of the test."""
    mounted: list[Path] = []

    def mount(size_kb: int, name: str = "disk") -> Path:
        point = tmp_path / name
        point.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0777", "tmpfs", str(point)],
                              capture_output=True, text=True, check=False) if shutil.which("mount") else None
        if proc is None or proc.returncode != 0:
            why = proc.stderr.strip() if proc is not None else "no mount command"
            if os.environ.get("CI"):
                pytest.fail(f"CI must be able to mount a tmpfs (root): {why}")
            pytest.skip(f"cannot mount a tmpfs here (needs root): {why}")
        mounted.append(point)
        return point

    try:
        yield mount
    finally:
        for point in reversed(mounted):
            subprocess.run(["umount", "-l", str(point)], check=False)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` until only about ``leave`` bytes are free."""
    filler = folder / "filler.bin"
    free = shutil.disk_usage(folder).free - leave
    with filler.open("wb") as fh:
        try:
            fh.write(b"\0" * max(0, free))
            fh.flush()
            os.fsync(fh.fileno())
        except OSError:
            pass  # full before the exact count: that is the point
    return filler


def assert_intact(data: Path) -> None:
    verify = run_cli(data, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    with open_store(data, read_only=True) as store, store.reader() as s:
        assert verify_audit(s).ok


def test_no_free_space_at_all_reads_work_and_writes_say_disk_full(small_disk: Mount) -> None:
    data = small_disk(3072) / "data"
    assert run_cli(data, "init").returncode == 0
    filler = fill(data.parent)
    assert shutil.disk_usage(data).free < 64 * 1024
    verify = run_cli(data, "audit", "verify")  # was E_STORE_CORRUPT "数据库文件已损坏"
    assert verify.returncode == 0 and verify.stdout.startswith("审计链完整"), verify.stderr
    listed = run_cli(data, "enterprise", "list")
    assert listed.returncode == 0 and "共 0 家企业" in listed.stdout, listed.stderr
    shown = run_cli(data, "settings", "show")
    assert shown.returncode == 0, shown.stderr
    added = run_cli(data, "enterprise", "add", "--name", "新密市某钢铁有限公司", "--uscc", make_uscc("410183", 7),
                    "--region", "410183")
    assert added.returncode == 1 and added.stderr.startswith("E_DISK_FULL: "), added.stderr
    assert "Traceback" not in added.stderr and "E_STORE_CORRUPT" not in added.stderr
    filler.unlink()
    again = run_cli(data, "enterprise", "add", "--name", "新密市某钢铁有限公司", "--uscc", make_uscc("410183", 7),
                    "--region", "410183")
    assert again.returncode == 0, again.stderr
    assert_intact(data)


def test_disk_filling_during_a_database_write_is_rolled_back_and_reported(small_disk: Mount) -> None:
    data = small_disk(3072) / "data"
    assert run_cli(data, "init").returncode == 0
    filler = fill(data.parent, leave=12 * 1024)  # room to start the transaction, not to finish it
    notes = "整改情况说明。" * 300  # ~6 KB of text: several pages of write-ahead log
    failed = 0
    for serial in range(1, 12):
        result = run_cli(data, "enterprise", "add", "--name", f"新密市测试{serial}号钢铁有限公司",
                         "--uscc", make_uscc("410183", serial), "--region", "410183", "--address", notes[:300])
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode:
            assert result.stderr.startswith("E_DISK_FULL: "), result.stderr
            failed += 1
    assert failed, "the disk never filled: the test did not test anything"
    filler.unlink()
    assert_intact(data)  # every refused write was rolled back whole: the chain and the rows agree


def test_photo_import_carries_on_and_prints_its_report_when_the_disk_fills(small_disk: Mount,
                                                                           tmp_path: Path) -> None:
    data = small_disk(4096) / "data"
    with open_store(data) as store:
        first, second = make_inspection(store, 1), make_inspection(store, 2)
    folder = tmp_path / "DCIM"
    folder.mkdir()
    for n in range(12):
        (folder / f"IMG_{n:04d}.jpg").write_bytes(jpeg_bytes(pattern_image(n)))
    # The photos' blobs go in once, under the first inspection: the second import writes only database rows.
    done = run_cli(data, "--json", "photos", "import", "--inspection", first, "--stage", "before", str(folder))
    assert done.returncode == 0, done.stderr
    # Room for SQLite's shared-memory file (32 KB) and the first commits of the write-ahead log, not for all.
    filler = fill(data.parent, leave=96 * 1024)

    result = run_cli(data, "--json", "photos", "import", "--inspection", second, "--stage", "before", str(folder))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1 and "E_DISK_FULL" in result.stderr
    report = json.loads(result.stdout)  # the report is printed all the same, one entry per file
    assert [Path(r["path"]).name for r in report] == [f"IMG_{n:04d}.jpg" for n in range(12)]
    statuses = {r["status"] for r in report}
    assert statuses <= {"imported", "refused"}
    refused = [r for r in report if r["status"] == "refused"]
    assert refused and {r["code"] for r in refused} == {"E_DISK_FULL"}
    imported = {r["photo_id"] for r in report if r["status"] == "imported"}

    filler.unlink()
    with open_store(data, read_only=True) as store, store.reader() as s:
        rows = set(s.scalars(select(Photo.id).where(Photo.inspection_id == second)))
        assert rows == imported  # what the report says is what the store holds
        assert s.scalar(select(func.count()).select_from(Photo).where(Photo.inspection_id == first)) == 12
    assert_intact(data)
    retry = run_cli(data, "--json", "photos", "import", "--inspection", second, "--stage", "before", str(folder))
    assert retry.returncode == 0, retry.stderr
    assert {r["status"] for r in json.loads(retry.stdout)} <= {"imported", "present"}


def test_read_only_data_folder_allows_read_only_commands(small_disk: Mount) -> None:
    disk = small_disk(4096)
    data = disk / "data"
    with open_store(data) as store:
        make_inspection(store, 1)
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    assert not os.access(data, os.W_OK)
    for argv in READ_COMMANDS:
        result = run_cli(data, *argv)
        assert result.returncode == 0, (argv, result.stderr)
    assert "新密市测试1号钢铁有限公司" in run_cli(data, "enterprise", "list").stdout
    written = run_cli(data, "enterprise", "add", "--name", "新密市某钢铁有限公司", "--uscc", make_uscc("410183", 8),
                      "--region", "410183")
    assert written.returncode == 1 and written.stderr.startswith("E_STORE_READONLY: "), written.stderr
    with open_store(data, read_only=True) as store, store.reader() as s:
        assert verify_audit(s).ok
