#!/usr/bin/env python3
"""Self-test of a shipped program: run its commands one by one, headless, as an inspector's day would.

    python packaging/selftest.py --program build/dist/inspect-app/inspect-app --suite frozen --work build/selftest
    python packaging/selftest.py --program build/wheel-venv/bin/inspect-app --suite wheel --work build/wheel-selftest

``dev.py test`` (and so CI) runs the ``wheel`` suite against the wheel installed non-editable in a fresh venv and
the ``frozen`` suite against the PyInstaller folder. Each step is one command of the program with a check of its
output; the first failure stops the run with the command, its exit status and its output.

**To add a step** (e.g. a new command that must work in the built program), append a ``Step`` to ``STEPS`` below
and name the suites it belongs to. A step's arguments may use ``{name}`` placeholders: the fixed ones (``{data}``,
``{work}``, ``{photos}``, ``{today}``, ``{year}``) and any value an earlier step saved with ``save=``.

Runs in the development venv (it needs Pillow to make the camera JPEGs), never inside the program under test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

PASSPHRASE = "selftest-passphrase"
# A camera's EXIF tags (Pillow's numbers): Make, Model, DateTimeOriginal, the EXIF and GPS sub-IFDs.
TAG_MAKE, TAG_MODEL, TAG_EXIF_IFD, TAG_GPS_IFD, TAG_DATETIME_ORIGINAL = 0x010F, 0x0110, 0x8769, 0x8825, 0x9003

Context = dict[str, Any]
Check = Callable[[subprocess.CompletedProcess[str], Context], None]


class SelfTestFailure(Exception):
    """A step's command failed or printed something unexpected."""


@dataclass
class Step:
    """One command of the program under test and what its output must show."""

    name: str
    args: list[str]
    suites: frozenset[str] = frozenset({"frozen", "wheel"})
    check: Check | None = None
    save: dict[str, Callable[[Any], str]] = field(default_factory=dict)
    """Values to remember from the step's JSON output (``--json`` is added when this is set)."""
    json: bool = False
    """Add ``--json`` (implied by ``save``)."""
    no_console: bool = False
    """Run with standard output and error closed, as the windowed Windows program runs (POSIX shells only)."""
    exit_status: int = 0
    timeout: float = 300


# --- checks --------------------------------------------------------------------------------------------------


def contains(*texts: str) -> Check:
    """Check that the step's standard output contains every one of ``texts``."""

    def check(result: subprocess.CompletedProcess[str], ctx: Context) -> None:
        for text in texts:
            wanted = text.format(**ctx)
            if wanted not in result.stdout:
                raise SelfTestFailure(f"expected {wanted!r} in the output")

    return check


def json_check(predicate: Callable[[Any], bool], what: str) -> Check:
    """Check the step's JSON output with ``predicate``."""

    def check(result: subprocess.CompletedProcess[str], ctx: Context) -> None:
        if not predicate(json.loads(result.stdout)):
            raise SelfTestFailure(f"the output does not show {what}")

    return check


def files_exist(pattern: str, at_least: int) -> Check:
    """Check that the step left at least ``at_least`` files matching ``pattern`` (placeholders allowed)."""

    def check(result: subprocess.CompletedProcess[str], ctx: Context) -> None:
        folder, _, glob = pattern.format(**ctx).rpartition("/")
        found = sorted(Path(folder).glob(glob))
        if len(found) < at_least or any(path.stat().st_size == 0 for path in found):
            raise SelfTestFailure(f"expected {at_least}+ non-empty files {pattern.format(**ctx)}, found {len(found)}")

    return check


def log_contains(*texts: str) -> Check:
    """Check that the data folder's log file holds every one of ``texts`` (what a console-less run printed)."""

    def check(result: subprocess.CompletedProcess[str], ctx: Context) -> None:
        log = (Path(ctx["data"]) / "logs" / "inspect-app.log").read_text(encoding="utf-8", errors="replace")
        for text in texts:
            if text not in log:
                raise SelfTestFailure(f"expected {text!r} in the log file")

    return check


def workstation_log(command: str) -> Check:
    """Check an office workstation's refusal (``--db-url``): a stable E_DB_ code, and on Linux the same line in
    the user log folder (``$XDG_STATE_HOME/inspect-app/log``), not in the data folder."""

    def check(result: subprocess.CompletedProcess[str], ctx: Context) -> None:
        code = result.stderr.strip().split(":", 1)[0]
        if not code.startswith("E_DB_") or "Traceback" in result.stderr:
            raise SelfTestFailure(f"expected an E_DB_ refusal, got {result.stderr.strip()[-500:]!r}")
        if sys.platform.startswith("linux"):
            log = (Path(ctx["work"]) / "state" / "inspect-app" / "log" / "inspect-app.log").read_text(
                encoding="utf-8", errors="replace")
            if f"{command}: {code}" not in log:
                raise SelfTestFailure(f"expected '{command}: {code}' in the workstation's log file")

    return check


def _first_done_with_photos(rows: list[dict[str, Any]]) -> str:
    for row in rows:
        if row.get("status") == "done":
            return str(row["id"])
    raise SelfTestFailure("no finished inspection in the demo data")


# --- the steps -----------------------------------------------------------------------------------------------

STEPS: list[Step] = [
    Step("version", ["--version"], check=contains("inspect-app ")),
    Step("init", ["init"], save={"schema": lambda out: out["schema_revision"]}),
    Step("demo with photos", ["demo"], check=json_check(lambda out: out["photos"] > 0, "demo photos"), json=True),
    Step("enterprise list", ["enterprise", "list", "--search", "中岳水泥"],
         save={"enterprise": lambda out: out[0]["id"]}, suites=frozenset({"frozen"})),
    Step("inspection add", ["inspection", "add", "--enterprise", "{enterprise}", "--date", "{today}",
                            "--team", "王建国:郑州市工业和信息化局:科长"],
         save={"inspection": lambda out: out["id"]}, suites=frozenset({"frozen"})),
    Step("photos import (camera JPEGs, worker processes)",
         ["photos", "import", "--inspection", "{inspection}", "--stage", "before", "{photos}"],
         check=json_check(lambda out: [r["status"] for r in out] == ["imported"] * 3, "3 photos imported"),
         json=True, suites=frozenset({"frozen"})),
    Step("photos verify", ["photos", "verify"], suites=frozenset({"frozen"})),
    Step("identity create", ["identity", "create", "--name", "王建国", "--organisation", "郑州市工业和信息化局"],
         save={"fingerprint": lambda out: out["certificate"]["fingerprint"]}, suites=frozenset({"wheel"})),
    Step("setup (first run: inspector, role, identity, certificate request)",
         ["setup", "--name", "王建国", "--organisation", "郑州市工业和信息化局", "--role", "inspector",
          "--request-out", "{work}/request.pem"], check=files_exist("{work}/request.pem", 1),
         suites=frozenset({"frozen"})),
    Step("inspection list", ["inspection", "list", "--status", "done"],
         save={"done_inspection": _first_done_with_photos}),
    Step("opinion issue (PDF, barcode, QR, PAdES signature)",
         ["opinion", "issue", "--inspection", "{done_inspection}", "--conclusion", "pass",
          # The command line cannot take a handwritten signature: each member of the demo team is marked 未签.
          "--unsigned", "王建国=命令行出具，未手写签名", "--unsigned", "李红梅=命令行出具，未手写签名",
          "--unsigned", "张伟=命令行出具，未手写签名", "--out", "{work}/opinion.pdf"], check=files_exist("{work}/opinion.pdf", 1)),
    Step("opinion verify", ["opinion", "verify", "{work}/opinion.pdf"], check=contains("验证通过")),
    Step("audit verify", ["audit", "verify"], check=contains("审计链完整")),
    Step("screenshots (Qt offscreen)", ["screenshots", "--out", "{work}/screenshots"],
         check=files_exist("{work}/screenshots/*.png", 5), suites=frozenset({"frozen"}), timeout=600),
    Step("bundle export (signed .icb)", ["bundle", "export", "--all", "--out", "{work}/outbox"],
         check=json_check(lambda out: out["records"] > 0 and out["blobs"] > 0, "records and photos in the bundle"),
         save={"bundle": lambda out: out["path"]}, suites=frozenset({"frozen"})),
    Step("bundle verify", ["bundle", "verify", "{bundle}"], check=contains("签名有效"), suites=frozenset({"frozen"})),
    Step("report summary as Excel (XlsxWriter)", ["report", "summary", "--year", "{year}", "--out", "{work}/summary.xlsx"],
         check=files_exist("{work}/summary.xlsx", 1), suites=frozenset({"frozen"})),
    Step("report closed list as PDF", ["report", "closed-list", "--year", "{year}", "--out", "{work}/closed.pdf"],
         check=files_exist("{work}/closed.pdf", 1), suites=frozenset({"frozen"})),
    Step("doctor (health check)", ["doctor"], check=contains("未发现错误"), suites=frozenset({"frozen"})),
    Step("backup", ["backup", "--out", "{work}/store.inspect-backup"],
         check=json_check(lambda out: out["entries"] > 20, "every file in the backup"), json=True,
         suites=frozenset({"frozen"})),
    Step("restore --check", ["restore", "--check", "{work}/store.inspect-backup"], check=contains("备份文件完整"),
         suites=frozenset({"frozen"})),
    Step("restore", ["restore", "{work}/store.inspect-backup", "--yes"], check=contains("已从备份恢复"),
         suites=frozenset({"frozen"})),
    Step("no console (as the windowed program): audit verify writes to the log", ["audit", "verify"],
         no_console=True, check=log_contains("inspect_app.stdout: 审计链完整"), suites=frozenset({"frozen"})),
    Step("office workstation (--db-url, no server): a clear refusal, logged in the user log folder",
         ["--db-url", "postgresql+psycopg://selftest@127.0.0.1:1/office", "enterprise", "list"], exit_status=1,
         check=workstation_log("enterprise list")),
    # New commands that must work in the built program: add their steps here (see the module docstring).
]


# --- camera JPEGs --------------------------------------------------------------------------------------------


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 4)


def camera_jpeg(index: int, *, lat: float, lon: float, taken: str) -> bytes:
    """Return a 1600×1200 JPEG as a phone camera writes it: make, model, time taken and GPS position."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1600, 1200), (90 + 40 * index, 120, 150))
    ImageDraw.Draw(img).rectangle((200 + 100 * index, 300, 900, 800), fill=(200, 180, 60 + 50 * index))
    exif = Image.Exif()
    exif[TAG_MAKE], exif[TAG_MODEL] = "HUAWEI", "P40"
    exif.get_ifd(TAG_EXIF_IFD)[TAG_DATETIME_ORIGINAL] = taken
    gps = exif.get_ifd(TAG_GPS_IFD)
    gps[0], gps[1], gps[2], gps[3], gps[4] = b"\x02\x02\x00\x00", "N", _dms(lat), "E", _dms(lon)
    out = BytesIO()
    img.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def make_photos(folder: Path, today: date) -> Path:
    """Write three camera JPEGs taken today at the demo's 中岳水泥 site into ``folder/DCIM/100HUAWEI``."""
    dcim = folder / "DCIM" / "100HUAWEI"
    dcim.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        taken = f"{today:%Y:%m:%d} 10:{15 + i:02d}:30"
        (dcim / f"IMG_{today:%Y%m%d}_1015{i:02d}.jpg").write_bytes(
            camera_jpeg(i, lat=34.4610 + i * 0.0002, lon=113.0840, taken=taken))
    return dcim


# --- running -------------------------------------------------------------------------------------------------


def run_step(program: Path, step: Step, ctx: Context, env: dict[str, str]) -> tuple[float, str]:
    """Run one step; return its time and a one-line summary, or raise ``SelfTestFailure``."""
    args = [arg.format(**ctx) for arg in step.args]
    argv = [str(program), *args, "--data-dir", str(ctx["data"])] if args[0] != "--version" else [str(program), *args]
    if step.save or step.json:
        argv.append("--json")
    if step.no_console:
        argv = ["sh", "-c", 'exec "$0" "$@" >&- 2>&-', *argv]
    started = time.monotonic()
    try:
        result = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", errors="replace",
                                env=env, timeout=step.timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise SelfTestFailure(f"timed out after {step.timeout:g} s: {' '.join(argv)}") from exc
    seconds = time.monotonic() - started
    try:
        if result.returncode != step.exit_status:
            raise SelfTestFailure(f"exit status {result.returncode}, expected {step.exit_status}")
        if step.check is not None:
            step.check(result, ctx)
        if step.save:
            out = json.loads(result.stdout)
            for key, pick in step.save.items():
                ctx[key] = pick(out)
    except (SelfTestFailure, ValueError, KeyError, IndexError, TypeError) as exc:
        raise SelfTestFailure(
            f"step '{step.name}' failed: {exc}\n  command: {' '.join(argv)}\n"
            f"  stdout: {result.stdout.strip()[-3000:]}\n  stderr: {result.stderr.strip()[-3000:]}"
        ) from exc
    first_line = (result.stdout.strip().splitlines() or [""])[0]
    if step.json or step.save:
        first_line = json.dumps(json.loads(result.stdout), ensure_ascii=False)
    saved = ", ".join(f"{key}={str(ctx[key])[:12]}" for key in step.save)
    return seconds, saved or first_line[:90]


def run_suite(program: Path, suite: str, work: Path) -> int:
    """Run every step of ``suite`` against ``program`` in a fresh ``work`` folder; return the exit status."""
    if not program.is_file():
        print(f"[selftest] program not found: {program}", flush=True)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    today = date.today()
    ctx: Context = {"data": work / "data", "work": work, "today": today.isoformat(), "year": str(today.year),
                    "photos": make_photos(work / "camera", today)}
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "INSPECT_APP_PASSPHRASE": PASSPHRASE,
           "XDG_CONFIG_HOME": str(work / "config"), "XDG_STATE_HOME": str(work / "state"), "INSPECT_APP_ACTOR": "selftest",
           "INSPECT_APP_LANG": "zh_CN"}  # the checks read the Chinese output, whatever the machine's locale
    env.pop("INSPECT_APP_DATA_DIR", None)
    env.pop("INSPECT_APP_DB_URL", None)
    steps = [step for step in STEPS if suite in step.suites]
    print(f"[selftest] {suite}: {len(steps)} steps against {program}", flush=True)
    started = time.monotonic()
    for n, step in enumerate(steps, start=1):
        try:
            seconds, summary = run_step(program, step, ctx, env)
        except SelfTestFailure as exc:
            print(f"[selftest] {n:2d}/{len(steps)} FAILED {exc}", flush=True)
            return 1
        print(f"[selftest] {n:2d}/{len(steps)} ok {seconds:5.1f} s  {step.name}: {summary}", flush=True)
    print(f"[selftest] {suite}: all {len(steps)} steps passed ({time.monotonic() - started:.1f} s)", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--program", required=True, type=Path, help="the inspect-app executable to test")
    parser.add_argument("--suite", required=True, choices=["frozen", "wheel"])
    parser.add_argument("--work", required=True, type=Path, help="a scratch folder (emptied first)")
    args = parser.parse_args(argv)
    return run_suite(args.program.resolve(), args.suite, args.work.resolve())


if __name__ == "__main__":
    sys.exit(main())
