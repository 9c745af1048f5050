"""Benchmark: every speed goal of "Big projects stay fast", in one run, on cached big projects.

Run:  .venv/bin/pip install -e ".[bench]"    # cookiecutter, one of the peers
      .venv/bin/python benchmarks/bench_big.py [--cache benchmarks/.cache] [--runs 5]

Three projects made by `scaffold init` are built once and kept in ``--cache`` (built again
only when missing): ``base-200`` (a router file with 200 registered routers, the issues'
setting), ``routers-2000`` (2,000 registered routers with their records, as
``bench_doctor.py`` builds it) and ``resources-300`` (300 real `scaffold endpoint`
generations, committed). Timed runs work on copies, so the cache stays as built. Then:

1. `scaffold doctor` on the two big projects (goal: at most 2 s);
2. `scaffold update endpoint NAME` with nothing to update on 300 resources (goal: at most
   0.3 s), and an update of one piece against `copier update` of it (goal: at most 1.0x);
3. `scaffold endpoint` on the 200-router project against `copier copy` and `cookiecutter`
   of the same blueprints (goals: at most 0.5x and 0.9x), and on the two big projects
   against the 200-router one (goal: at most 1.1x);
4. what one generation adds to `.scaffold/` (goal: what it owns, no project-wide data).

Medians of wall-clock times of whole processes; peers and scaffold alternate. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_doctor
import bench_generate
import bench_update

SCAFFOLD = bench_generate.SCAFFOLD
FIELDS = bench_generate.FIELDS
REPOSITORY = Path(__file__).resolve().parents[1]


def build(cache: Path, env: dict[str, str]) -> dict[str, Path]:
    """The three projects, built into ``cache`` unless a complete build is there."""
    builders = {
        "base-200": lambda root: bench_generate.make_project(root.parent, 200, 0, name=root.name),
        "routers-2000": lambda root: bench_doctor.build_routers(root, 2000, env),
        "resources-300": lambda root: bench_doctor.build_resources(root, 300, env),
    }
    projects = {}
    for name, builder in builders.items():
        root, complete = cache / name, cache / f"{name}.complete"  # outside: git stays clean
        if not complete.exists():
            shutil.rmtree(root, ignore_errors=True)
            start = time.perf_counter()
            builder(root)
            bench_update.git(root, "add", "-A")
            bench_update.git(root, "commit", "-qm", "built by bench_big.py")
            complete.write_text("")
            print(f"built {name} in {time.perf_counter() - start:.0f} s: {root}")
        projects[name] = root
    return projects


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:6.0f} ms"


def state_size(root: Path) -> tuple[int, int]:
    """Files and bytes in ``.scaffold/`` (its cache left out: it is not project state)."""
    files = [p for p in (root / ".scaffold").rglob("*") if p.is_file() and "cache" not in p.parts]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, default=REPOSITORY / "benchmarks" / ".cache")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCAFFOLD_HOME": str(cache / "home")}
    bench_generate.compile_sources(REPOSITORY / "src")
    projects = build(cache, env)
    runs = args.runs
    print(f"median of {runs} runs, whole process")

    print("1. scaffold doctor (goal: at most 2 s)")
    for name in ("routers-2000", "resources-300"):
        times = [bench_doctor.doctor(projects[name], [SCAFFOLD], env)[0] for _ in range(runs)]
        print(f"  {name:<28} {median_ms(times)}")

    with tempfile.TemporaryDirectory(prefix="bench-big-") as scratch:
        parent = Path(scratch)
        copies = {
            name: shutil.copytree(root, parent / name, symlinks=True)
            for name, root in projects.items()
        }

        print("2. scaffold update")
        first = bench_doctor.names(1)[0]
        command = [SCAFFOLD, "update", "endpoint", first]
        times = [timed(command, copies["resources-300"], env) for _ in range(runs)]
        print(f"  nothing to update, 300 resources  {median_ms(times)}   (goal: at most 300 ms)")
        ours, theirs = bench_update.one_piece_update(runs)
        print(f"  one piece: scaffold {ours * 1000:.0f} ms, copier update {theirs * 1000:.0f} ms,"
              f" ratio {ours / theirs:.2f}   (goal: at most 1.00)")  # fmt: skip

        print("3. scaffold endpoint")
        names = bench_generate.resource_names()
        bench_generate.compare("endpoint", parent, copies["base-200"], runs, names)
        times: dict[str, list[float]] = {name: [] for name in copies}
        for _ in range(runs):
            for name, root in copies.items():
                command = [SCAFFOLD, "endpoint", next(names), "--fields", FIELDS]
                times[name].append(timed(command, root, env))
        base = statistics.median(times["base-200"])
        for name, measured in times.items():
            ratio = statistics.median(measured) / base
            print(f"  {name:<28} {median_ms(measured)}   x{ratio:.2f} of base-200")

        print("4. .scaffold/ (its cache left out)")
        before = state_size(copies["base-200"])
        command = [SCAFFOLD, "endpoint", next(names), "--fields", FIELDS]
        timed(command, copies["base-200"], env)
        after = state_size(copies["base-200"])
        print(f"  one endpoint adds {after[0] - before[0]} files, "
              f"{(after[1] - before[1]) / 1024:.1f} KB")  # fmt: skip
        files, size = state_size(projects["resources-300"])
        print(f"  300 resources: {files} files, {size / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
