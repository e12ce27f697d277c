"""Run ``python -m inspect_app``."""

from __future__ import annotations

import sys

from inspect_app.cli import main

sys.exit(main())
