"""Run ``python -m inspect_app``; also the entry point of the PyInstaller build (build.spec)."""

from __future__ import annotations

import multiprocessing
import sys


def run() -> int:
    """Start the command line (the window when no command is given); return the exit status."""
    # A frozen program is its own Python: the photo pool's workers, the forkserver and the resource tracker start
    # this executable again, and freeze_support() sends them to their work instead of into the command line.
    multiprocessing.freeze_support()
    from inspect_app.cli import main, pause_collector

    pause_collector()  # this process is one command: no collection while start-up builds what lives as long as it
    return main()


# The guard matters: a spawned worker imports this module again as __mp_main__ and must not run the program.
if __name__ == "__main__":
    sys.exit(run())
