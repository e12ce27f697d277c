#!/usr/bin/env python3
"""Set up everything and launch the app or run the whole test suite.

    python3 dev.py run  [-- APP ARGS...]     # Windows: py dev.py run
    python3 dev.py test [-- PYTEST ARGS...]  # ruff, mypy, pytest, then the wheel and the built program
    python3 dev.py build                     # only the wheel and the built program, each with its self-test
    python3 dev.py lock [-- UV ARGS...]      # re-resolve requirements.lock (e.g. -- --upgrade-package reportlab)

Standard library only: this file runs before the virtual environment exists.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
# What the lock pins: the app, the PostgreSQL driver, the test tools and the build tools (pyproject extras).
LOCK_EXTRAS: tuple[str, ...] = ("postgres", "test", "build")
BUILD_DIR = ROOT / "build"
STAMP_NAME = "inspect-dev-stamp.json"
MIN_PYTHON = (3, 11)
IS_WINDOWS = os.name == "nt"
IS_LINUX = sys.platform.startswith("linux")
PG_URL_ENV = "INSPECT_APP_TEST_PG_URL"
PG_DATABASE = "inspect_test"

# What PySide6 6.x needs from Debian 12 for its xcb and offscreen platform plugins (found with ldd on
# libqxcb.so, libqoffscreen.so and libQt6XcbQpa.so.6), plus fonts that show Chinese text.
# libxcb-xinerama0 is left out: Qt 6 no longer links it.
RUN_DEBIAN_PACKAGES: tuple[str, ...] = (
    "libegl1",
    "libgl1",
    "libglib2.0-0",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libfontconfig1",
    "fontconfig",
    "libdbus-1-3",
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-image0",
    "libxcb-xkb1",
    "fonts-wqy-microhei",
    # QtMultimedia (camera capture, PySide6-Addons) links PulseAudio's client library.
    "libpulse0",
)
# pdftoppm/pdfsig (poppler-utils), zbarimg (zbar-tools), xvfb-run (xvfb + xauth), a PostgreSQL server, and
# certutil (libnss3-tools) to give pdfsig an NSS database that trusts the office root.
TEST_DEBIAN_PACKAGES: tuple[str, ...] = ("poppler-utils", "zbar-tools", "xvfb", "xauth", "postgresql",
                                         "libnss3-tools")


class DevError(Exception):
    """A step could not be done; the message says why and what to do."""


def say(message: str) -> None:
    """Print one line of progress."""
    print(f"[dev] {message}", flush=True)


def in_ci() -> bool:
    """Tell whether we run under CI (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def is_root() -> bool:
    """Tell whether we run as root (always false on Windows)."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


# --- Debian packages ------------------------------------------------------------------------------------


def debian_packages(purpose: str) -> list[str]:
    """Return the Debian packages that ``run`` or ``test`` needs."""
    if purpose == "run":
        return list(RUN_DEBIAN_PACKAGES)
    if purpose == "test":
        return [*RUN_DEBIAN_PACKAGES, *TEST_DEBIAN_PACKAGES]
    raise ValueError(f"unknown purpose: {purpose}")


def dpkg_status_installed(dpkg_output: str) -> bool:
    """Tell from ``dpkg -s`` output whether the package is fully installed."""
    for line in dpkg_output.splitlines():
        if line.startswith("Status:"):
            return line.split()[-1] == "installed" and "install ok" in line
    return False


def dpkg_installed(package: str) -> bool:
    """Ask dpkg whether a package is installed."""
    result = subprocess.run(
        ["dpkg", "-s", package], capture_output=True, text=True, check=False, env=_c_locale_env()
    )
    return result.returncode == 0 and dpkg_status_installed(result.stdout)


def missing_packages(packages: Iterable[str], installed: Callable[[str], bool]) -> list[str]:
    """Return the packages that ``installed`` says are missing, in order, without duplicates."""
    seen: set[str] = set()
    missing: list[str] = []
    for package in packages:
        if package not in seen:
            seen.add(package)
            if not installed(package):
                missing.append(package)
    return missing


def apt_install_command(packages: Sequence[str]) -> list[str]:
    """Return the apt-get command that installs ``packages``."""
    return ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]


def ensure_debian_packages(purpose: str) -> None:
    """Install missing Debian packages as root; otherwise tell the user what to install."""
    if not IS_LINUX or shutil.which("apt-get") is None or shutil.which("dpkg") is None:
        return
    missing = missing_packages(debian_packages(purpose), dpkg_installed)
    if not missing:
        return
    command = apt_install_command(missing)
    if not is_root():
        say("some system packages are missing; install them with:")
        say("  sudo apt-get update && sudo " + " ".join(command))
        say("continuing without them")
        return
    say(f"installing Debian packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    started = time.monotonic()
    for step in (["apt-get", "update", "-q"], command):
        result = subprocess.run(step, env=env, stdout=subprocess.DEVNULL, check=False)
        if result.returncode != 0:
            message = f"'{' '.join(step)}' failed with exit status {result.returncode}"
            if in_ci():
                raise DevError(message)
            say(f"warning: {message}; continuing")
            return
    say(f"Debian packages installed ({time.monotonic() - started:.0f} s)")


# --- virtual environment ----------------------------------------------------------------------------------


def venv_bin(venv: Path) -> Path:
    """Return the folder of the venv's executables."""
    return venv / ("Scripts" if IS_WINDOWS else "bin")


def venv_python(venv: Path) -> Path:
    """Return the venv's Python interpreter."""
    return venv_bin(venv) / ("python.exe" if IS_WINDOWS else "python")


def venv_script(venv: Path, name: str) -> Path:
    """Return a console script installed in the venv."""
    return venv_bin(venv) / (f"{name}.exe" if IS_WINDOWS else name)


def python_works(python: Path) -> bool:
    """Tell whether ``python`` runs and is new enough."""
    if not python.exists():
        return False
    check = f"import sys; sys.exit(0 if sys.version_info >= {MIN_PYTHON!r} else 1)"
    try:
        result = subprocess.run([str(python), "-c", check], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def file_digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_stamp(stamp: Path) -> dict[str, object]:
    """Read the install stamp; an absent or damaged stamp reads as empty."""
    try:
        loaded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def install_digest(files: Iterable[Path]) -> str:
    """Return one SHA-256 over the files that decide what the venv holds (pyproject and the lock)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def needs_install(stamp: dict[str, object], digest: str) -> bool:
    """Tell whether the venv must be (re)installed, given the digest of pyproject and the lock."""
    return stamp.get("install_sha256") != digest


def ensure_venv(venv: Path = VENV) -> Path:
    """Create the venv if needed and install the locked dependencies and the project; return its Python.

    Every dependency comes from requirements.lock, pinned and checked by hash (pip's --require-hashes); the
    project itself is installed editable on top, without resolving anything again.
    """
    python = venv_python(venv)
    if not python_works(python):
        if venv.exists():
            say(f"{venv.name} is broken; recreating it")
            shutil.rmtree(venv)
        say(f"creating {venv} with Python {sys.version.split()[0]}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        if not python_works(python):
            raise DevError(f"the new virtual environment at {venv} does not run")
    stamp_path = venv / STAMP_NAME
    stamp = read_stamp(stamp_path)
    if not LOCK.is_file():
        raise DevError(f"{LOCK.name} is missing; make it with: python3 dev.py lock")
    digest = install_digest([ROOT / "pyproject.toml", LOCK])
    if not needs_install(stamp, digest):
        return python
    say(f"installing {LOCK.name} and the project; the first run downloads dependencies and takes a few minutes")
    started = time.monotonic()
    pip = [str(python), "-m", "pip"]
    # pip 23.2 (Python 3.11's ensurepip) cannot take hashes for pins that come from a constraints file.
    subprocess.run([*pip, "install", "-q", "--upgrade", "pip>=24.1"], cwd=ROOT, check=True)
    for step in (["install", "-q", "--require-hashes", "-r", str(LOCK)], ["install", "-q", "--no-deps", "-e", "."]):
        result = subprocess.run([*pip, *step], cwd=ROOT, check=False)
        if result.returncode != 0:
            stamp_path.unlink(missing_ok=True)
            raise DevError(f"pip {' '.join(step)} failed with exit status {result.returncode}")
    stamp_path.write_text(json.dumps({"install_sha256": digest}) + "\n", encoding="utf-8")
    say(f"project installed ({time.monotonic() - started:.0f} s)")
    return python


# --- PostgreSQL for the tests -------------------------------------------------------------------------------


def find_free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def pg_test_url(port: int, host: str = "127.0.0.1") -> str:
    """Return the SQLAlchemy URL of the throw-away test database."""
    return f"postgresql+psycopg://postgres@{host}:{port}/{PG_DATABASE}"


def _version_key(bindir: Path) -> tuple[int, ...]:
    name = bindir.parent.name
    parts = name.split(".")
    return tuple(int(part) for part in parts) if all(part.isdigit() for part in parts) else (-1,)


def pg_bindir_candidates(base: Path = Path("/usr/lib/postgresql")) -> list[Path]:
    """Return Debian's PostgreSQL ``bin`` folders that hold a server, newest version first."""
    if not base.is_dir():
        return []
    found = [
        entry / "bin"
        for entry in base.iterdir()
        if all((entry / "bin" / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres"))
    ]
    return sorted(found, key=_version_key, reverse=True)


def find_pg_bindir() -> Path | None:
    """Return a working PostgreSQL server ``bin`` folder, preferring Debian's."""
    candidates = pg_bindir_candidates()
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        try:
            result = subprocess.run(
                [str(bindir / "postgres"), "--version"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0 and (bindir / "initdb").is_file():
            return bindir
    return None


def _c_locale_env() -> dict[str, str]:
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    return env


def _as_server_user(command: Sequence[str], user: str | None) -> list[str]:
    """Wrap ``command`` so it runs as ``user`` (None: as ourselves)."""
    if user is None:
        return list(command)
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *command]
    return ["su", user, "-s", "/bin/sh", "-c", subprocess.list2cmdline(list(command))]


@dataclass
class PgCluster:
    """A private PostgreSQL cluster in a temporary folder."""

    bindir: Path
    workdir: Path
    user: str | None
    port: int = 0

    @property
    def datadir(self) -> Path:
        return self.workdir / "data"

    def _run(self, command: Sequence[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_server_user(command, self.user),
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=_c_locale_env(),
        )

    def start(self) -> str:
        """Create, start and fill the cluster; return the test database URL."""
        initdb = self._run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.datadir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ]
        )
        if initdb.returncode != 0:
            raise DevError(f"initdb failed: {initdb.stderr.strip() or initdb.stdout.strip()}")
        last_error = ""
        for _attempt in range(3):
            self.port = find_free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.workdir}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            started = self._run(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(self.workdir / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                ]
            )
            if started.returncode == 0:
                break
            last_error = self.log_tail() or started.stderr.strip()
        else:
            raise DevError(f"PostgreSQL did not start: {last_error}")
        created = self._run(
            [
                str(self.bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                PG_DATABASE,
            ]
        )
        if created.returncode != 0:
            raise DevError(f"createdb failed: {created.stderr.strip()}")
        return pg_test_url(self.port)

    def log_tail(self, lines: int = 5) -> str:
        """Return the end of the server log."""
        try:
            text = (self.workdir / "server.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server (if it runs) and remove its folder."""
        if (self.datadir / "postmaster.pid").exists():
            stopped = self._run(
                [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"],
                timeout=60,
            )
            if stopped.returncode != 0 and (self.datadir / "postmaster.pid").exists():
                say(f"warning: pg_ctl stop failed: {stopped.stderr.strip()}")
        shutil.rmtree(self.workdir, ignore_errors=True)


def _server_user() -> str | None:
    """Return the user the server must run as: ``postgres`` for root, else ourselves (None)."""
    if not is_root():
        return None
    import pwd  # POSIX only

    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise DevError("running as root, but there is no 'postgres' user to run the server as") from exc
    return "postgres"


@contextlib.contextmanager
def postgres_for_tests() -> Iterator[str | None]:
    """Yield a PostgreSQL URL for the tests, or None when none can be had (an error under CI)."""
    given = os.environ.get(PG_URL_ENV)
    if given:
        say(f"PostgreSQL: using {PG_URL_ENV} from the environment")
        yield given
        return
    cluster: PgCluster | None = None
    try:
        bindir = find_pg_bindir() if IS_LINUX else None
        if bindir is None:
            raise DevError("no PostgreSQL server found (Debian: apt-get install postgresql)")
        user = _server_user()
        workdir = Path(tempfile.mkdtemp(prefix="inspect-pg-", dir="/tmp" if Path("/tmp").is_dir() else None))
        workdir.chmod(0o700)
        if user is not None:
            shutil.chown(workdir, user=user)
        cluster = PgCluster(bindir=bindir, workdir=workdir, user=user)
        started = time.monotonic()
        url = cluster.start()
        say(
            f"PostgreSQL {bindir.parent.name}: throw-away cluster on 127.0.0.1:{cluster.port} "
            f"({time.monotonic() - started:.1f} s)"
        )
    except DevError as exc:
        if cluster is not None:
            cluster.stop()
        if in_ci():
            raise DevError(f"CI needs PostgreSQL for the tests: {exc}") from exc
        say(f"PostgreSQL: not available ({exc}); PostgreSQL tests will be skipped")
        yield None
        return
    try:
        yield url
    finally:
        cluster.stop()
        say("PostgreSQL: cluster stopped and removed")


# --- commands ------------------------------------------------------------------------------------------------


def passthrough(args: Sequence[str]) -> list[str]:
    """Return the extra arguments, without the ``--`` that separates them."""
    rest = list(args)
    if rest and rest[0] == "--":
        rest = rest[1:]
    return rest


def display_available(environ: dict[str, str] | os._Environ[str]) -> bool:
    """Tell whether Qt can show a window (always true off Linux)."""
    if not IS_LINUX:
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY") or environ.get("QT_QPA_PLATFORM"))


def command_run(extra: Sequence[str]) -> int:
    """Set up and launch the app."""
    ensure_debian_packages("run")
    ensure_venv()
    if not display_available(os.environ):
        say("no display found (neither DISPLAY nor WAYLAND_DISPLAY is set). Either run on a virtual screen:")
        say("  xvfb-run -a python3 dev.py run")
        say("or without any window (for scripted checks):")
        say("  QT_QPA_PLATFORM=offscreen python3 dev.py run")
        return 1
    app = venv_script(VENV, "inspect-app")
    if not app.exists():
        raise DevError(f"{app} is missing; delete {VENV} and try again")
    argv = [str(app), "gui", "--demo-if-empty", *extra]
    say("launching: " + " ".join(argv[1:]))
    if IS_WINDOWS:
        return subprocess.run(argv, check=False).returncode
    os.execv(argv[0], argv)
    return 0  # not reached


@dataclass
class StepResult:
    """How one test step ended."""

    name: str
    returncode: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def summary(self) -> str:
        if self.ok:
            return f"{self.name}: ok ({self.seconds:.1f} s)"
        why = "no tests collected, " if self.name == "pytest" and self.returncode == 5 else ""
        return f"{self.name}: FAILED ({why}exit status {self.returncode}, {self.seconds:.1f} s)"


def run_step(name: str, argv: Sequence[str], env: dict[str, str] | None = None) -> StepResult:
    """Run one test step in the repository root and report how it ended."""
    say(f"{name}: running")
    started = time.monotonic()
    returncode = subprocess.run(list(argv), cwd=ROOT, env=env, check=False).returncode
    result = StepResult(name, returncode, time.monotonic() - started)
    say(result.summary())
    return result


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


# --- the shipped program: wheel and PyInstaller folder, each with its self-test ------------------------------

SELFTEST = ROOT / "packaging" / "selftest.py"
APP_FOLDER = BUILD_DIR / "dist" / "inspect-app"


def folder_size(folder: Path) -> tuple[int, int]:
    """Return the bytes and the number of files in ``folder`` (links not followed, as ``du`` counts)."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def wheel_requirement(wheel: Path) -> str:
    """Return a requirements line that installs ``wheel`` checked by its hash (pip's and uv's format)."""
    return f"inspect-app @ {wheel.resolve().as_uri()} --hash=sha256:{file_digest(wheel)}\n"


def _timed(name: str, work: Callable[[], int]) -> StepResult:
    say(f"{name}: running")
    started = time.monotonic()
    try:
        returncode = work()
    except subprocess.CalledProcessError as exc:
        say(f"{name}: {' '.join(map(str, exc.cmd))} failed with exit status {exc.returncode}")
        returncode = exc.returncode or 1
    except DevError as exc:
        say(f"{name}: {exc}")
        returncode = 1
    result = StepResult(name, returncode, time.monotonic() - started)
    say(result.summary())
    return result


def check_wheel(python: Path) -> int:
    """Build the wheel, install it (not editable) with the locked dependencies into a fresh venv, self-test it."""
    wheel_dir = BUILD_DIR / "wheel"
    shutil.rmtree(wheel_dir, ignore_errors=True)
    uv = [str(python), "-m", "uv"]
    # The build backend comes from the lock too (setuptools is pinned there, with its hashes).
    subprocess.run([*uv, "build", "--quiet", "--wheel", "--out-dir", str(wheel_dir), "--build-constraint", str(LOCK),
                    "--require-hashes", str(ROOT)], cwd=ROOT, check=True)
    wheels = sorted(wheel_dir.glob("inspect_app-*.whl"))
    if len(wheels) != 1:
        raise DevError(f"expected one wheel in {wheel_dir}, found {len(wheels)}")
    venv = BUILD_DIR / "wheel-venv"
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([*uv, "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=ROOT, check=True)
    requirement = wheel_dir / "requirements.txt"
    requirement.write_text(wheel_requirement(wheels[0]), encoding="utf-8")
    subprocess.run([*uv, "pip", "install", "--quiet", "--python", str(venv_python(venv)), "--require-hashes",
                    "-r", str(requirement), "-c", str(LOCK)], cwd=ROOT, check=True)
    size = wheels[0].stat().st_size
    say(f"wheel: {wheels[0].name} ({size / 2**20:.1f} MB) installed in a fresh venv, not editable")
    return subprocess.run([str(python), str(SELFTEST), "--suite", "wheel", "--program",
                           str(venv_script(venv, "inspect-app")), "--work", str(BUILD_DIR / "wheel-selftest")],
                          cwd=BUILD_DIR, check=False).returncode


def check_frozen(python: Path) -> int:
    """Build the one-folder program with build.spec and self-test it (PyInstaller keeps its cache in build/)."""
    subprocess.run([str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath",
                    str(BUILD_DIR / "dist"), "--workpath", str(BUILD_DIR / "pyinstaller"), str(ROOT / "build.spec")],
                   cwd=ROOT, check=True)
    size, files = folder_size(APP_FOLDER)
    say(f"frozen: {APP_FOLDER.relative_to(ROOT)} is {size / 2**20:.0f} MB in {files} files")
    program = APP_FOLDER / ("inspect-app-cli.exe" if IS_WINDOWS else "inspect-app")
    return subprocess.run([str(python), str(SELFTEST), "--suite", "frozen", "--program", str(program),
                           "--work", str(BUILD_DIR / "selftest")], cwd=BUILD_DIR, check=False).returncode


def build_steps(python: Path) -> Iterator[StepResult]:
    """Check the wheel, then the built program; stop at the first failure."""
    for name, check in (("wheel", check_wheel), ("frozen", check_frozen)):
        result = _timed(name, lambda check=check: check(python))  # type: ignore[misc]
        yield result
        if not result.ok:
            return


def command_build(extra: Sequence[str]) -> int:
    """Set up, then build and self-test the wheel and the one-folder program."""
    ensure_debian_packages("test")
    python = ensure_venv()
    results = list(build_steps(python))
    say("summary: " + "; ".join(result.summary() for result in results))
    return next((result.returncode for result in results if not result.ok), 0)


def command_lock(extra: Sequence[str]) -> int:
    """Re-resolve requirements.lock from pyproject.toml with uv (every platform, hashes); extra args go to uv."""
    python = ensure_venv()
    argv = [str(python), "-m", "uv", "pip", "compile", "pyproject.toml", "--universal", "--python-version",
            ".".join(map(str, MIN_PYTHON)), *[f"--extra={extra_name}" for extra_name in LOCK_EXTRAS],
            "--generate-hashes", "--custom-compile-command", "python3 dev.py lock", "-o", str(LOCK), *extra]
    say("resolving: " + " ".join(argv[1:]))
    return subprocess.run(argv, cwd=ROOT, check=False).returncode


def command_test(extra: Sequence[str]) -> int:
    """Set up and run ruff, mypy and pytest, then build and self-test the program; stop at the first failure."""
    ensure_debian_packages("test")
    python = str(ensure_venv())
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _raise_on_sigterm)  # clean up the PostgreSQL cluster on kill
    results: list[StepResult] = []

    def finish() -> int:
        say("summary: " + "; ".join(result.summary() for result in results))
        return next((result.returncode for result in results if not result.ok), 0)

    for name, argv in (("ruff", [python, "-m", "ruff", "check", "."]), ("mypy", [python, "-m", "mypy"])):
        results.append(run_step(name, argv))
        if not results[-1].ok:
            return finish()
    with postgres_for_tests() as pg_url:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        if pg_url is not None:
            env[PG_URL_ENV] = pg_url
        results.append(run_step("pytest", [python, "-m", "pytest", *extra], env=env))
    if not results[-1].ok:
        return finish()
    results.extend(build_steps(Path(python)))
    return finish()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the command."""
    if sys.version_info < MIN_PYTHON:
        print(f"dev.py needs Python {'.'.join(map(str, MIN_PYTHON))} or newer", file=sys.stderr)
        return 1
    parser = argparse.ArgumentParser(prog="dev.py", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=["run", "test", "build", "lock"],
                        help="run: launch the app; test: run all checks; build: the shipped program only; "
                             "lock: update requirements.lock")
    parser.add_argument("extra", nargs=argparse.REMAINDER, help="passed on (to the app or to pytest)")
    args = parser.parse_args(argv)
    extra = passthrough(args.extra)
    try:
        commands = {"run": command_run, "test": command_test, "build": command_build, "lock": command_lock}
        return commands[args.command](extra)
    except DevError as exc:
        say(f"error: {exc}")
        return 1
    except subprocess.CalledProcessError as exc:
        say(f"error: {' '.join(map(str, exc.cmd))} failed with exit status {exc.returncode}")
        return 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
