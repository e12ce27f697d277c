"""落后产能退出现场核查 — the Capacity Exit Field Inspector."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "inspect-app"
APP_TITLE = "落后产能退出现场核查"
