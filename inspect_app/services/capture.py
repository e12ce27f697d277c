"""Filing a picture taken in the app (camera capture) as evidence: write its EXIF, then import it."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from datetime import datetime
from pathlib import Path

from PIL import Image

from inspect_app import __version__
from inspect_app.errors import EnvironmentProblem
from inspect_app.evidence.capture import STALE_TEMP_AGE_S, TEMP_DIR_NAME, write_captured_jpeg
from inspect_app.evidence.flags import CHINA_TZ
from inspect_app.i18n import Msg
from inspect_app.models.store import Store
from inspect_app.services.casework import get_inspection
from inspect_app.services.photos import PhotoImportResult, import_photos


def _sweep_stale(temp_root: Path, now: float) -> None:
    """Remove what a crashed capture left behind (older than an hour; a capture takes seconds)."""
    with contextlib.suppress(OSError):
        for entry in temp_root.iterdir():
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime > STALE_TEMP_AGE_S:
                    if entry.is_dir():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink()


def _write_temp(folder: Path, name: str, jpeg: bytes) -> Path:
    """Write ``jpeg`` to ``folder/name`` atomically (a hidden part file, then a rename)."""
    final = folder / name
    part = folder / f".{name}.part"
    with open(part, "wb") as fh:
        fh.write(jpeg)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, final)
    return final


def capture_photo(
    store: Store,
    *,
    inspection_id: str,
    stage: str,
    image: Image.Image,
    equipment_id: str | None = None,
    position: tuple[float, float] | None = None,
    camera_name: str = "",
    now: datetime | None = None,
) -> PhotoImportResult:
    """File a picture taken in the app as evidence of ``stage``; return what became of it.

    The time is ``now`` (default: the clock, in the computer's own zone; a naive ``now`` is China time).
    The position is ``position`` if given, else the inspection's recorded arrival position, else none
    (the photo then carries the ``no_gps`` flag, as it should). The same frame taken at the same moment
    twice gives ``present``.
    """
    if now is None:
        taken_at = datetime.now().astimezone()
    elif now.tzinfo is None:
        taken_at = now.replace(tzinfo=CHINA_TZ)
    else:
        taken_at = now
    if position is None:
        with store.reader() as session:
            insp = get_inspection(session, inspection_id)
        if insp.lat is not None and insp.lon is not None:
            position = (insp.lat, insp.lon)
    jpeg = write_captured_jpeg(image, taken_at=taken_at, position=position, camera_name=camera_name,
                               app_version=__version__)
    temp_root = store.data_dir / TEMP_DIR_NAME
    folder = temp_root / uuid.uuid4().hex
    # The file name is what the inspector sees as the photo's original name.
    name = f"IMG_{taken_at:%Y%m%d_%H%M%S}_{taken_at.microsecond // 1000:03d}.jpg"
    try:
        temp_root.mkdir(parents=True, exist_ok=True)
        _sweep_stale(temp_root, time.time())
        folder.mkdir()
        path = _write_temp(folder, name, jpeg)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise EnvironmentProblem(Msg("无法保存拍摄的照片（磁盘已满或没有写入权限）：{error}", error=exc.strerror or exc),
                                 code="E_CAPTURE_WRITE", details={"path": str(folder)}) from exc
    try:
        results = import_photos(store, inspection_id=inspection_id, stage=stage, paths=[path],
                                equipment_id=equipment_id, source="captured", now=taken_at, workers=1)
    finally:
        # The blob store keeps the original; the temporary copy has served its purpose either way.
        shutil.rmtree(folder, ignore_errors=True)
    if len(results) != 1:
        raise RuntimeError(f"capture import gave {len(results)} results")
    return results[0]
