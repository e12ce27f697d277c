"""What build.spec needs besides PyInstaller itself: the data files, what to leave out, the icon, the version.

Kept apart from the spec so that the choices are plain Python that tests can read (tests/test_packaging.py).
Measured on Linux (PyInstaller 6, PySide6 6.12): the folder was 313 MB with everything the analysis found.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

# What the app loads from resources/ (the translation sources and their build script stay in the repository).
RESOURCE_PATTERNS: tuple[str, ...] = (
    "fonts/*.ttf", "fonts/*.ttc", "fonts/*.txt", "i18n/*.qm", "icons/*.svg", "reference/*.json",
)

# Python modules the app never loads although something in the dependency tree names them.
EXCLUDED_MODULES: list[str] = [
    # tools of the test and build environment
    "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff", "IPython", "setuptools", "pkg_resources",
    "distutils", "pip", "uv", "PyInstaller",
    # Tk and interactive tools
    "tkinter", "_tkinter", "PIL.ImageTk", "PIL._tkinter_finder", "pdb", "pydoc", "doctest", "xmlrpc", "http.server",
    # (aiohttp stays although the app signs and verifies offline: pyhanko.sign.timestamps imports it at load)
    # lxml (9 MB): pyHanko treats XMP metadata as optional ("we want the XML dep(s) to be optional"): without it
    # it writes no XMP (our PDFs have none) and judges a later change of /Metadata suspicious, the safe side
    "lxml", "pyhanko.pdf_utils.metadata.xmp_xml",
    # Pillow's AVIF codec (4.7 MB of libavif): the app accepts JPEG, PNG, TIFF and WebP only; its font renderer
    # (FreeType and HarfBuzz, 2.4 MB: the app draws no text with Pillow). Colour management (ImageCms) stays:
    # the PDF/A opinion embeds the sRGB profile LittleCMS makes (reports/pdfa.py)
    "PIL.AvifImagePlugin", "PIL._avif", "PIL._imagingft",
    # optional speed-ups and syntax highlighting that nothing here calls
    "numpy", "pygments", "mako.ext",
    # Qt modules the app does not import
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
    "PySide6.Qt3DCore", "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtBluetooth",
    "PySide6.QtPositioning", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtDesigner", "PySide6.QtUiTools",
]

# The PostgreSQL driver (11 MB with its own OpenSSL, Kerberos and LDAP) serves only an office database
# (--db-url postgresql+psycopg://); the inspectors' build leaves it out, the office's build sets
# INSPECT_APP_BUILD_POSTGRES=1.
# (SQLAlchemy's and alembic's PostgreSQL dialect modules stay: alembic imports every dialect it knows at start.)
POSTGRES_MODULES: list[str] = ["psycopg", "psycopg_binary", "psycopg_c", "psycopg_pool"]


def excluded_modules(with_postgres: bool) -> list[str]:
    """Return the modules the build leaves out (``with_postgres``: the office's build, with the driver)."""
    return EXCLUDED_MODULES + ([] if with_postgres else POSTGRES_MODULES)


# Files (by their path in the folder, "/" separated) the Qt hooks collect although the app never loads them.
# Matched against the destination path and, for libraries, also the bare file name (Linux keeps a link to each
# Qt library at the top of the folder).
DROPPED_FILES: tuple[str, ...] = (
    # QML and Quick come in only as dependencies of the virtual keyboard plugin
    "*Qt6Qml*", "*Qt6Quick*", "*Qt6VirtualKeyboard*",
    "PySide6/Qt/plugins/platforminputcontexts/*virtualkeyboard*",
    "PySide6/Qt/qml/*",
    # embedded-device platforms and their input plugins: the app runs on a desktop (xcb, wayland, windows)
    "*Qt6EglFS*", "*Qt6EglFsKms*",
    "PySide6/Qt/plugins/egldeviceintegrations/*", "PySide6/Qt/plugins/generic/*",
    "PySide6/Qt/plugins/platforms/*qeglfs*", "PySide6/Qt/plugins/platforms/*qlinuxfb*",
    "PySide6/Qt/plugins/platforms/*qvnc*", "PySide6/Qt/plugins/platforms/*qvkkhrdisplay*",
    "PySide6/Qt/plugins/platforms/*qminimalegl*",
    # GTK's file dialogs and theme: Qt draws its own; the GTK libraries it drags in are the largest system part
    "PySide6/Qt/plugins/platformthemes/*gtk3*",
    "libgtk-3*", "libgdk-3*", "libatk-1*", "libatk-bridge*", "libatspi*", "libcairo*", "libpango*",
    "libgdk_pixbuf*", "libepoxy*", "libthai*", "libdatrie*",
    # ... and what only those libraries needed (no kept library names them; found with readelf -d on the folder)
    "libgio-2.0*", "libgobject-2.0*", "libgmodule-2.0*", "libharfbuzz.so*", "libgraphite2*", "libfribidi*",
    "libpixman*", "libjpeg.so*", "libmount*", "libblkid*", "libselinux*", "libbsd.so*", "libmd.so*",
    "libXdmcp*", "libXau.so*",
    # network status, TLS back ends: nothing here talks to the network through Qt
    "PySide6/Qt/plugins/networkinformation/*", "PySide6/Qt/plugins/tls/*",
    # image formats the app never reads through Qt (its images: SVG icons, JPEG and PNG previews)
    "PySide6/Qt/plugins/imageformats/*qtiff*", "PySide6/Qt/plugins/imageformats/*qwebp*",
    "PySide6/Qt/plugins/imageformats/*qtga*", "PySide6/Qt/plugins/imageformats/*qwbmp*",
    "PySide6/Qt/plugins/imageformats/*qicns*", "PySide6/Qt/plugins/imageformats/*qgif*",
    "PySide6/Qt/plugins/imageformats/*qpdf*",
)
# Qt's own translations: only the Chinese for its standard buttons (ui/i18n.py loads qtbase_zh_CN).
KEPT_QT_TRANSLATIONS: tuple[str, ...] = ("qtbase_zh_CN.qm",)


def dropped(dest: str) -> bool:
    """Tell whether the file that would land at ``dest`` in the folder is left out."""
    path = dest.replace(os.sep, "/")
    name = path.rsplit("/", 1)[-1]
    if path.startswith("PySide6/Qt/translations/"):
        return name not in KEPT_QT_TRANSLATIONS
    return any(fnmatch.fnmatch(path, pattern) or ("/" not in pattern and fnmatch.fnmatch(name, pattern))
               for pattern in DROPPED_FILES)


def keep(toc: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Return PyInstaller TOC entries (dest, source, kind) without the dropped files."""
    return [entry for entry in toc if not dropped(entry[0])]


def tree(root: Path, source: str, destination: str, patterns: Sequence[str] = ("*",)) -> list[tuple[str, str]]:
    """Return (file, folder) pairs that copy files of ``root/source`` matching ``patterns`` to ``destination``."""
    pairs = []
    base = root / source
    for path in sorted(base.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in {".pyc", ".pyo"}:
            continue
        relative = path.relative_to(base).as_posix()
        if any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            folder = Path(destination) / path.parent.relative_to(base)
            pairs.append((str(path), folder.as_posix()))
    return pairs


def resource_datas(root: Path) -> list[tuple[str, str]]:
    """Return the resources the app loads, placed as inspect_app/_resources (where the wheel has them too)."""
    return tree(root, "resources", "inspect_app/_resources", RESOURCE_PATTERNS)


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def make_icon(svg: Path, out: Path) -> Path:
    """Render the app's SVG icon to a Windows .ico with every size Explorer asks for (made at build time)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from io import BytesIO

    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"build.spec: cannot read the icon {svg}")
    images = []
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        images.append(Image.open(BytesIO(bytes(data.data()))).convert("RGBA"))
    out.parent.mkdir(parents=True, exist_ok=True)
    largest = images[-1]
    largest.save(out, format="ICO", sizes=[(s, s) for s in ICON_SIZES], append_images=images[:-1])
    return out


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Return a dotted version as the four numbers a Windows version resource holds."""
    numbers = []
    for part in version.split(".")[:4]:
        digits = re.match(r"\d*", part)
        numbers.append(int(digits.group()) if digits and digits.group() else 0)  # "0rc1" counts as 0
    padded = [*numbers, 0, 0, 0, 0][:4]
    return padded[0], padded[1], padded[2], padded[3]


def version_resource_text(version: str) -> str:
    """Return the Windows version resource (PyInstaller's VSVersionInfo text) for the .exe's Details tab."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": "郑州市淘汰落后产能工作领导小组办公室",
        "FileDescription": "落后产能退出现场核查 — Capacity Exit Field Inspector",
        "FileVersion": version,
        "InternalName": "inspect-app",
        "LegalCopyright": "郑州市淘汰落后产能工作领导小组办公室",
        "OriginalFilename": "inspect-app.exe",
        "ProductName": "落后产能退出现场核查",
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
{table}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""


def write_version_resource(out: Path, version: str) -> Path:
    """Write the version resource file PyInstaller's ``EXE(version=...)`` reads."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(version_resource_text(version), encoding="utf-8")
    return out
