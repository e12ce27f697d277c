"""What the wheel and the PyInstaller folder carry (the choices in pyproject.toml and packaging/spec_support.py).

The builds themselves are proven by ``dev.py test`` (the wheel in a fresh venv, the one-folder program, each with
packaging/selftest.py); these tests keep the declarations honest between runs.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from inspect_app import resources

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


spec_support = _load("inspect_spec_support", ROOT / "packaging" / "spec_support.py")
selftest = _load("inspect_selftest", ROOT / "packaging" / "selftest.py")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_pyproject_lists_every_package() -> None:
    """A package missing from pyproject's explicit list would be missing from the wheel."""
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "inspect_app").rglob("__init__.py")}
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert found | {"inspect_app._resources"} == listed


def test_wheel_and_build_ship_the_same_resources() -> None:
    wheel_patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["inspect_app._resources"]
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["inspect_app._resources"] == "resources"
    assert sorted(wheel_patterns) == sorted(spec_support.RESOURCE_PATTERNS)


def test_shipped_resources_cover_what_the_app_loads() -> None:
    """Every file the app opens from resources/ matches a shipped pattern; the translation sources do not."""
    root = ROOT / "resources"
    shipped = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
               and any(fnmatch.fnmatch(p.relative_to(root).as_posix(), pat) for pat in spec_support.RESOURCE_PATTERNS)}
    for needed in ("fonts/gbsn00lp.ttf", "fonts/wqy-microhei.ttc", "i18n/inspect_app_en.qm", "icons/app.svg",
                   "reference/regions.json", "reference/sectors.json", "reference/aspects.json",
                   "reference/exit_methods.json"):
        assert needed in shipped
    assert "i18n/build_en.py" not in shipped and "i18n/inspect_app_en.ts" not in shipped
    data_pairs = spec_support.resource_datas(ROOT)
    assert {Path(src).relative_to(root).as_posix() for src, _dest in data_pairs} == shipped
    assert all(dest.startswith("inspect_app/_resources") for _src, dest in data_pairs)


def test_resource_root_prefers_the_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged = tmp_path / "site" / "inspect_app" / "_resources"
    (packaged / "reference").mkdir(parents=True)
    stray = tmp_path / "site" / "resources" / "reference"  # some other distribution's top-level folder
    stray.mkdir(parents=True)
    monkeypatch.setattr(resources, "CANDIDATES", (packaged, stray.parent))
    resources.resource_root.cache_clear()
    try:
        assert resources.resource_root() == packaged
        monkeypatch.setattr(resources, "CANDIDATES", (tmp_path / "none", tmp_path / "nothing"))
        resources.resource_root.cache_clear()
        with pytest.raises(FileNotFoundError):
            resources.resource_root()
    finally:
        resources.resource_root.cache_clear()


def test_resource_root_in_a_checkout_is_the_top_level_folder() -> None:
    assert resources.resource_root() == ROOT / "resources"


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6", "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/lib/libQt6Multimedia.so.6", "PySide6/Qt/lib/libicudata.so.73", "PySide6/Qt/lib/libavcodec.so.63",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/platforms/qwindows.dll",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so", "PySide6/Qt/plugins/imageformats/qsvg.dll",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so", "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
    "PySide6/Qt/translations/qtbase_zh_CN.qm", "libQt6Core.so.6", "libpython3.11.so.1.0", "libX11.so.6",
    "libglib-2.0.so.0", "pillow.libs/libjpeg-6dc8d115.so.62.4.0", "inspect_app/_resources/fonts/gbsn00lp.ttf",
])
def test_build_keeps_what_the_app_loads(dest: str) -> None:
    assert not spec_support.dropped(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/Qt/lib/libQt6Qml.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "libQt6Quick.so.6", "Qt6Qml.dll",
    "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6", "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so", "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qtwebengine_zh_CN.qm", "libcairo.so.2", "libgio-2.0.so.0",
])
def test_build_drops_what_the_app_never_loads(dest: str) -> None:
    assert spec_support.dropped(dest)


def test_postgres_driver_only_in_the_office_build() -> None:
    assert "psycopg" in spec_support.excluded_modules(with_postgres=False)
    assert "psycopg" not in spec_support.excluded_modules(with_postgres=True)
    # alembic imports every dialect it knows: SQLAlchemy's PostgreSQL dialect module must stay in both builds
    assert not any(name.startswith("sqlalchemy") for name in spec_support.excluded_modules(with_postgres=False))


def test_windows_version_resource_is_a_versioninfo_expression(tmp_path: Path) -> None:
    """PyInstaller evaluates the file as a VSVersionInfo(...) expression (its reader needs pefile: Windows only)."""
    import ast

    path = spec_support.write_version_resource(tmp_path / "version.txt", "1.2.3")
    tree = ast.parse(path.read_text(encoding="utf-8"), mode="eval")
    assert isinstance(tree.body, ast.Call) and ast.unparse(tree.body.func) == "VSVersionInfo"
    calls = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert {"FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo", "VarStruct"} <= calls
    strings = {node.args[0].value: node.args[1].value for node in ast.walk(tree)
               if isinstance(node, ast.Call) and ast.unparse(node.func) == "StringStruct"}
    assert strings["ProductVersion"] == "1.2.3" and strings["OriginalFilename"] == "inspect-app.exe"
    assert "(1, 2, 3, 0)" in path.read_text(encoding="utf-8")
    assert spec_support.version_tuple("0.10.0rc1") == (0, 10, 0, 0)


def test_icon_has_every_size(tmp_path: Path, qapp: Any) -> None:
    """Rendered with Qt's SVG renderer (the test's QApplication; the build makes a QGuiApplication of its own)."""
    from PIL import Image

    icon = spec_support.make_icon(ROOT / "resources" / "icons" / "app.svg", tmp_path / "app.ico")
    with Image.open(icon) as image:
        assert image.format == "ICO"
        assert {(s, s) for s in spec_support.ICON_SIZES} <= set(image.info["sizes"])


def test_selftest_steps_name_their_suites() -> None:
    names = [step.name for step in selftest.STEPS]
    assert len(names) == len(set(names))
    frozen = {step.name for step in selftest.STEPS if "frozen" in step.suites}
    wheel = {step.name for step in selftest.STEPS if "wheel" in step.suites}
    assert any(name.startswith("opinion issue") for name in wheel & frozen)
    for needed in ("photos import", "setup", "backup", "restore", "doctor", "no console", "bundle export"):
        assert any(needed in name for name in frozen), needed
    assert any(step.no_console for step in selftest.STEPS)


def test_selftest_camera_photos_carry_exif(tmp_path: Path) -> None:
    from datetime import date

    from inspect_app.evidence.exif import read_exif

    folder = selftest.make_photos(tmp_path, date(2021, 10, 26))
    photos = sorted(folder.glob("*.jpg"))
    assert len(photos) == 3
    facts = read_exif(photos[0].read_bytes())
    assert facts.make == "HUAWEI" and facts.gps_lat == pytest.approx(34.461, abs=1e-4)


def test_main_module_runs_nothing_when_imported() -> None:
    """Spawned workers import __main__ again (as __mp_main__): it must not start the command line then."""
    result = subprocess.run([sys.executable, "-c", "import runpy; runpy.run_module('inspect_app.__main__', "
                             "run_name='__mp_main__'); print('quiet')"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "quiet"


def test_postgres_url_without_driver_is_a_clear_error() -> None:
    code = ("import sys; sys.modules['psycopg'] = None\n"
            "from inspect_app.models.store import make_engine\n"
            "from inspect_app.errors import EnvironmentProblem\n"
            "try:\n    make_engine('postgresql+psycopg://u@127.0.0.1/db')\n"
            "except EnvironmentProblem as exc:\n    print(exc.code)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.stdout.strip() == "E_DB_DRIVER", result.stderr


def _locked_versions() -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#") and "==" in line:
            name, _, rest = line.partition("==")
            pins[canonicalize_name(name)] = rest.split()[0].split(";")[0]
    return pins


def test_lock_pins_every_dependency_of_pyproject() -> None:
    """The venv, the wheel check and the build install only what requirements.lock pins (with --no-deps for the
    project): a dependency added to pyproject.toml without ``python3 dev.py lock`` would be silently missing."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = PYPROJECT["project"]
    declared = [*project["dependencies"]]
    for extra in ("postgres", "test", "build"):
        declared.extend(project["optional-dependencies"][extra])
    pins = _locked_versions()
    unpinned = []
    for text in declared:
        requirement = Requirement(text)
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None or not requirement.specifier.contains(pinned, prereleases=True):
            unpinned.append(f"{text} (locked: {pinned})")
    assert not unpinned, f"not in requirements.lock, run `python3 dev.py lock`: {unpinned}"
