"""Benchmark command start-up: list/show commands on a small store against the floor ``import sqlalchemy.orm``.

Every command pays for the interpreter and SQLAlchemy; the target is that a list or show command costs at most
0.15 s more than that floor (issue 8, "Speed of the command line"). The floor and the commands are timed in the
same run, interleaved, so machine drift hits both alike; each figure is the median of ``--runs`` runs.

Run: ``python bench/bench_cli_startup.py [--runs 9] [--compare OLD_SOURCE_DIR]``; ``--compare`` also times the same
commands with another checkout of the app first on ``PYTHONPATH`` (``git archive <rev> | tar -x -C DIR``), each
version on a demo store of its own, interleaved with the rest: a before/after in one run. The store is the demo data without photos, in a temporary
folder. The import set each command may load is guarded by ``tests/test_cli_imports.py`` (imports, not timings).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 0.15
# An installed app has its byte-code cached; PYTHONDONTWRITEBYTECODE (set in some shells) would make every
# command compile the app's sources again (~0.1 s), a cost no user pays.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CWD = tempfile.gettempdir()


def _time(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds user+system) of one run of ``argv``."""
    start = time.perf_counter()
    # cwd: the temp folder, so that ``-m inspect_app`` finds the installed app (or --compare's), not ./inspect_app
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV, cwd=CWD)
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
    else:  # Windows: wall time only
        proc.wait()
        wall = cpu = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}")
    return wall, cpu


def _json(argv: list[str], env: dict[str, str] | None = None) -> object:
    out = subprocess.run(argv, check=True, capture_output=True, text=True, env=env or ENV, cwd=CWD).stdout
    return json.loads(out)


def _commands(py: str, data: Path, env: dict[str, str], label: str = "") -> dict[str, tuple[list[str], dict[str, str]]]:
    app = [py, "-m", "inspect_app", "--data-dir", str(data)]
    subprocess.run([*app, "demo", "--no-photos"], check=True, stdout=subprocess.DEVNULL, env=env, cwd=CWD)
    inspections = _json([*app, "--json", "inspection", "list"], env)
    enterprises = _json([*app, "--json", "enterprise", "list"], env)
    assert isinstance(inspections, list) and isinstance(enterprises, list)
    insp_id, ent_id = inspections[0]["id"], enterprises[0]["id"]
    argvs = {
        "inspection list": ["inspection", "list"],
        "inspection show": ["inspection", "show", insp_id],
        "enterprise list": ["enterprise", "list"],
        "enterprise show": ["enterprise", "show", ent_id],
        "photos list": ["photos", "list", "--inspection", insp_id],
        "opinion list": ["opinion", "list"],
        "settings show": ["settings", "show"],
        "audit verify": ["audit", "verify"],
    }
    return {f"{label}{name}": ([*app, *argv], env) for name, argv in argvs.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--compare", type=Path, help="source folder of another version, timed in the same run")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "floor: python -c 'import sqlalchemy.orm'": ([py, "-c", "import sqlalchemy.orm"], ENV),
            "python -c pass": ([py, "-c", "pass"], ENV),
        }
        commands.update(_commands(py, Path(tmp) / "data", ENV))
        if args.compare is not None:
            old_env = {**ENV, "PYTHONPATH": str(args.compare.resolve())}
            commands.update(_commands(py, Path(tmp) / "data-old", old_env, label="[compare] "))
        for argv, env in commands.values():  # warm the file cache and the byte-code
            _time(argv, env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (argv, env) in commands.items():
                wall, cpu = _time(argv, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    wall_med = {name: statistics.median(values) for name, values in walls.items()}
    cpu_med = {name: statistics.median(values) for name, values in cpus.items()}
    floor_name = "floor: python -c 'import sqlalchemy.orm'"
    floor, floor_cpu = wall_med[floor_name], cpu_med[floor_name]
    print(f"command start-up, median of {args.runs} interleaved runs (target: floor + {TARGET_S:.2f} s); CPU is")
    print("user+system time of the process, less disturbed than wall time when other work shares the cores")
    print(f"{'command':42s} {'wall s':>7s} {'over floor':>11s} {'CPU s':>7s} {'over floor':>11s}")
    worst = worst_cpu = 0.0
    for name in commands:
        over, over_cpu = wall_med[name] - floor, cpu_med[name] - floor_cpu
        is_command = not name.startswith(("floor", "python"))
        if is_command and not name.startswith("[compare]"):
            worst, worst_cpu = max(worst, over), max(worst_cpu, over_cpu)
        mark = ("  ok" if over <= TARGET_S else "  OVER") if is_command else ""
        print(f"{name:42s} {wall_med[name]:7.3f} {over:+11.3f} {cpu_med[name]:7.3f} {over_cpu:+11.3f}{mark}")
    print(f"worst command over the floor: wall {worst:+.3f} s, CPU {worst_cpu:+.3f} s (target ≤ {TARGET_S:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
