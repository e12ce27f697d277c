"""Command line: the photos commands (registered by ``inspect_app.cli.build_parser``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register(sub: Any, leaf: Callable[..., Any], group: Callable[..., Any]) -> None:
    """Add the photos subcommands to the parser."""
