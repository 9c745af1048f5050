"""Benchmark: whole-process `scaffold doctor` on big projects (goal: under 2 s on both).

Run:  .venv/bin/python benchmarks/bench_doctor.py [--cache DIR] [--runs 5]
      [--routers 2000] [--resources 300] [--python PATH] [--pythonpath DIR]

Two projects made by `scaffold init`, built once and cached under ``--cache`` (a temporary
folder, removed afterwards, when not given):

* ``routers-N``: N route modules registered in the router file (one wrapped from-import
  and N include calls, as N generations leave it), each with the manifest record of its
  endpoint generation (the route module's hash, the register-router edit) and its section
  in the API contract document: what N `scaffold endpoint` runs leave, minus the other
  files, written directly rather than generated (N real runs would take an hour).
* ``resources-N``: N real `scaffold endpoint` generations (one process runs them all).

Each project must be clean (doctor exits 0) before it is timed. ``--python`` and
``--pythonpath`` time another scaffold (``--pythonpath /tmp/old/src`` for a checkout of an
earlier commit) on the same projects. Medians of wall-clock times. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scaffold import __version__
from scaffold.engine.manifest import GenerationRecord, content_hash
from scaffold.logbook.trail import DOCUMENTS

BIN = Path(sys.executable).parent
SCAFFOLD = str(BIN / "scaffold")
ROUTES = "backend/app/api/routes"
ROUTER_FILE = "backend/app/api/main.py"
ROUTE_MODULE = '''"""Routes of {name}."""

from fastapi import APIRouter

router = APIRouter(prefix="/{name}", tags=["{name}"])


@router.get("/")
def list_{name}() -> list[dict[str, str]]:
    return []
'''
_SYLLABLES = ["ba", "ce", "di", "fo", "gu", "ha", "ke", "li", "mo", "nu", "pa", "re", "si", "to"]


def names(count: int) -> list[str]:
    """Distinct resource names made of letters (``baba-items``, ``bace-items``...)."""
    found = []
    for first in _SYLLABLES:
        for second in _SYLLABLES:
            for third in _SYLLABLES:
                found.append(f"{first}{second}{third}-items")
                if len(found) == count:
                    return found
    raise ValueError(f"at most {len(found)} names")


def init(root: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [SCAFFOLD, "init", "bench", "--dir", str(root)], env=env, check=True, capture_output=True
    )


def build_routers(root: Path, count: int, env: dict[str, str]) -> None:
    init(root, env)
    snakes = [name.replace("-", "_") for name in names(count)]
    for snake in snakes:
        path = root / ROUTES / f"{snake}.py"
        path.write_text(ROUTE_MODULE.format(name=snake))
        record = GenerationRecord(
            generator="endpoint",
            name=snake.replace("_", "-"),
            scaffold_version=__version__,
            answers={"command": f"scaffold endpoint {snake.replace('_', '-')}"},
            files={f"{ROUTES}/{snake}.py": content_hash(path.read_bytes())},
            edits=[
                {
                    "kind": "register-router",
                    "path": ROUTER_FILE,
                    "module": "app.api.routes",
                    "name": snake,
                    "router_object": "api_router",
                }
            ],
        )
        record_file = root / record.path
        record_file.parent.mkdir(parents=True, exist_ok=True)
        record_file.write_text(record.to_json())
    imports = "".join(f"    {snake},\n" for snake in sorted(snakes))
    includes = "".join(f"api_router.include_router({snake}.router)\n" for snake in snakes)
    (root / ROUTER_FILE).write_text(
        "from fastapi import APIRouter\n\n"
        f"from app.api.routes import (\n{imports})\n\n"
        f"api_router = APIRouter()\n{includes}"
    )
    contract = root / "docs" / DOCUMENTS["api-contract"].path
    sections = "".join(
        f"\n<!-- scaffold:begin endpoint {snake.replace('_', '-')} -->\n"
        f"## {snake}\n\nGET /api/{snake}/\n"
        f"<!-- scaffold:end endpoint {snake.replace('_', '-')} -->\n"
        for snake in snakes
    )
    contract.write_text(contract.read_text() + sections)
    # STATUS.md gets a section per record too
    status = root / "docs/workflow/STATUS.md"
    status.write_text(status.read_text() + sections)


def build_resources(root: Path, count: int, env: dict[str, str]) -> None:
    init(root, env)
    script = (
        "import sys\n"
        "from scaffold.commands.main import run\n"
        "for name in sys.argv[1:]:\n"
        "    sys.argv = ['scaffold', 'endpoint', name, '--fields', 'name:str budget:decimal?']\n"
        "    try:\n"
        "        run()\n"
        "    except SystemExit as stop:\n"
        "        if stop.code:\n"
        "            raise\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, *names(count)],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


def doctor(root: Path, command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "doctor"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"doctor found problems in {root}:\n{done.stdout[:2000]}{done.stderr}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", type=Path, help="folder that keeps the built projects")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--routers", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=300)
    parser.add_argument("--python", default=sys.executable, help="the Python that runs scaffold")
    parser.add_argument("--pythonpath", help="PYTHONPATH for it (another scaffold's src)")
    args = parser.parse_args()

    env = dict(os.environ)
    scratch = None
    if args.cache is None:
        scratch = Path(tempfile.mkdtemp(prefix="bench-doctor-"))
        cache = scratch
    else:
        cache = args.cache.resolve()
        cache.mkdir(parents=True, exist_ok=True)
    env.setdefault("SCAFFOLD_HOME", str(cache / "home"))
    run_env = dict(env)
    if args.pythonpath:
        run_env["PYTHONPATH"] = args.pythonpath
    command = [args.python, "-m", "scaffold"]

    try:
        projects = [
            (f"{args.routers} registered routers", cache / f"routers-{args.routers}"),
            (f"{args.resources} resources", cache / f"resources-{args.resources}"),
        ]
        builders = [(build_routers, args.routers), (build_resources, args.resources)]
        for (label, root), (build, count) in zip(projects, builders, strict=True):
            if not (root / ".bench-complete").exists():
                shutil.rmtree(root, ignore_errors=True)
                start = time.perf_counter()
                build(root, count, env)
                (root / ".bench-complete").write_text(json.dumps({"count": count}))
                print(f"built {label} in {time.perf_counter() - start:.1f} s: {root}")
        print(f"scaffold doctor, whole process, median of {args.runs} ({args.python})")
        for label, root in projects:
            times = [doctor(root, command, run_env)[0] for _ in range(args.runs)]
            print(
                f"  {label:>26}: {statistics.median(times):6.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f})"
            )
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
