"""Benchmark: whole-process `scaffold endpoint|feature NAME` against `copier copy` and
`cookiecutter` of the same blueprints, in the same project, in one run.

Run:  .venv/bin/pip install -e ".[bench]"    # cookiecutter
      .venv/bin/python benchmarks/bench_generate.py [--runs 7] [--routers 200]
          [--unrelated 5000] [--baseline REV] [--npm-ci]

With ``--baseline REV`` (a git revision of this repository, e.g. the last release), that
version's scaffold runs too, in the same project and the same loop, so that a change is
measured against what came before it on the same machine at the same time.

The project is made by `scaffold init`; its router file already registers 200 routers (the
issues' setting). The peers get each generator's blueprints as ONE template (``peers.py``), so
they pay one process start instead of one per piece: the comparison favours them. Before
timing, cookiecutter's output is checked against scaffold's, file by file. A second project
holding thousands of unrelated files shows that scaffold's time does not depend on the size
of the project. Without ``--npm-ci`` the frontend has no ``node_modules``, so scaffold skips
the API types (it says so) as it does for a user who has not run ``npm ci``; with it,
``endpoint`` and ``feature`` also dump the OpenAPI document, run openapi-ts and Prettier,
which copier does not do (the ``--baseline`` project is installed too, so both versions
do). Figures are medians of wall-clock times; scaffold and copier runs alternate so that
machine noise hits both. Not a test: nothing here fails because a machine is slow.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import peers

BIN = Path(sys.executable).parent
SCAFFOLD = str(BIN / "scaffold")
FIELDS = "name:str budget:decimal? starts_at:datetime? active:bool"
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()  # noqa: SIM905


def resource_names() -> Iterator[str]:
    """Fresh resource names: every timed run generates something new."""
    for first in WORDS:
        for second in WORDS:
            yield f"{first}-{second}s"


def run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def make_project(
    parent: Path,
    routers: int,
    unrelated: int,
    scaffold: list[str] | None = None,
    name: str = "bench",
) -> Path:
    root = parent / name
    run([*(scaffold or [SCAFFOLD]), "init", "bench", "--dir", str(root)], parent)
    imports = "".join(f"from app.api.routes import legacy_{i:03d}\n" for i in range(routers))
    calls = "".join(f"api_router.include_router(legacy_{i:03d}.router)\n" for i in range(routers))
    (root / "backend/app/api/main.py").write_text(
        f"from fastapi import APIRouter\n\n{imports}\napi_router = APIRouter()\n{calls}"
    )
    for i in range(routers):
        (root / f"backend/app/api/routes/legacy_{i:03d}.py").write_text(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
        )
    for i in range(unrelated):
        folder = root / "frontend/node_modules" / f"pkg{i // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"file{i}.js").write_text("module.exports = {}\n")
    return root


def install_frontend(root: Path) -> None:
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=root / "frontend", check=True)


def compile_sources(folder: Path) -> None:
    """Byte-compile ``folder`` (also when PYTHONDONTWRITEBYTECODE is set in this shell)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)


def baseline_command(revision: str, parent: Path) -> list[str]:
    """Run scaffold as it was at ``revision``: its sources and data folders, unpacked."""
    repo = Path(__file__).resolve().parents[1]
    folder = parent / f"baseline-{revision}"
    folder.mkdir()
    archive = subprocess.run(
        ["git", "archive", revision, "src", "blueprints", "generators", "workflows"],
        cwd=repo,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    # compiled once, as an installed release is: otherwise every run compiles its sources
    compile_sources(folder / "src")
    code = f"import sys; sys.path.insert(0, {str(folder / 'src')!r}); import runpy; "
    code += "sys.argv[0] = 'scaffold'; runpy.run_module('scaffold', run_name='__main__')"
    return [sys.executable, "-c", code]


def compare(
    generator: str,
    parent: Path,
    root: Path,
    runs: int,
    names: Iterator[str],
    baseline: tuple[list[str], Path] | None = None,
) -> None:
    same, written = peers.same_output(
        generator, root, parent / f"same-{generator}", FIELDS, SCAFFOLD
    )
    copier = peers.copier_template(parent, generator)
    keys = list(peers.answers(root, generator, "probe-things", FIELDS))
    cookiecutter = peers.cookiecutter_template(parent, generator, keys)
    times: dict[str, list[float]] = {"scaffold": [], "copier": [], "cookiecutter": [], "base": []}
    for run_index in range(runs + 1):  # the first round warms up and is not counted
        times["scaffold"].append(run([SCAFFOLD, generator, next(names), "--fields", FIELDS], root))
        if baseline:  # the earlier version, in a project its own init made
            command = [*baseline[0], generator, next(names), "--fields", FIELDS]
            times["base"].append(run(command, baseline[1]))
        data = peers.answers(root, generator, next(names), FIELDS)
        times["copier"].append(run(peers.run_copier(copier, root, data, parent), root))
        data = peers.answers(root, generator, next(names), FIELDS)
        command = peers.run_cookiecutter(cookiecutter, root, data, parent)
        times["cookiecutter"].append(run(command, root))
        if run_index == 0:  # a first run fills scaffold's cache and the OS's: a user's
            for measured in times.values():  # steady state is every later run
                measured.clear()
    ours = statistics.median(times["scaffold"])
    print(f"  scaffold {generator:<8} NAME       {ours * 1000:6.0f} ms")
    for peer in ("copier", "cookiecutter"):
        theirs = statistics.median(times[peer])
        print(f"  {peer + ' (same templates)':<28} {theirs * 1000:6.0f} ms   "
              f"scaffold / {peer} {ours / theirs:5.2f}")  # fmt: skip
    print(f"  cookiecutter wrote {written} files, {same} with scaffold's bytes")
    if times["base"]:
        before = statistics.median(times["base"])
        print(f"  baseline scaffold {generator:<8}    {before * 1000:6.0f} ms (same loop)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--routers", type=int, default=200)
    parser.add_argument("--unrelated", type=int, default=5000)
    parser.add_argument("--baseline", metavar="REV", help="also time scaffold at this revision")
    parser.add_argument(
        "--npm-ci",
        action="store_true",
        help="install the frontend first: feature then regenerates the API types and formats",
    )
    args = parser.parse_args()
    names = resource_names()
    compile_sources(Path(__file__).resolve().parents[1] / "src")
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as scratch:
        parent = Path(scratch)
        root = make_project(parent, args.routers, 0)
        if args.npm_ci:
            install_frontend(root)
        baseline = None
        if args.baseline:
            old = baseline_command(args.baseline, parent)
            baseline = (old, make_project(parent, args.routers, 0, old, name="baseline-project"))
            if args.npm_ci:  # the earlier version regenerates the types too, or it is no baseline
                install_frontend(baseline[1])
        print(f"{args.routers} registered routers; median of {args.runs} runs, whole process")
        for generator in ("endpoint", "feature"):
            compare(generator, parent, root, args.runs, names, baseline)
        big_parent = parent / "big"
        big_parent.mkdir()
        big = make_project(big_parent, args.routers, args.unrelated)
        command = [SCAFFOLD, "endpoint", "--fields", FIELDS]
        big_times = [run([*command[:2], next(names), *command[2:]], big) for _ in range(args.runs)]
        help_times = [run([SCAFFOLD, "--help"], root) for _ in range(args.runs)]
        if baseline:
            old_help = [run([*baseline[0], "--help"], root) for _ in range(args.runs)]
    print(f"  scaffold endpoint NAME, {args.unrelated} unrelated files "
          f"{statistics.median(big_times) * 1000:5.0f} ms")  # fmt: skip
    print(f"  scaffold --help              {statistics.median(help_times) * 1000:6.0f} ms")
    if baseline:
        print(f"  baseline scaffold --help     {statistics.median(old_help) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
