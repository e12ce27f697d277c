"""What every page needs: the open store, the op runner and the UI settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QSettings

from inspect_app.models.store import Store
from inspect_app.ui.tasks import OpRunner


@dataclass
class AppContext:
    """The store, the single op runner and the QSettings the window remembers itself in."""

    store: Store
    runner: OpRunner
    settings: QSettings
    today: Callable[[], date] = field(default=date.today)
