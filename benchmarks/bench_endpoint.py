"""Benchmark: whole-process `scaffold endpoint NAME` against `copier copy` of the same blueprints.

Run:  .venv/bin/python benchmarks/bench_endpoint.py [--runs 7] [--routers 200] [--unrelated 5000]

Both commands run in the same project: one made by `scaffold init` whose router file already
registers 200 routers (the issue's setting). copier gets the eight backend blueprints merged
into one template, so it pays one process start rather than eight: the comparison favours
copier. A second project holding thousands of unrelated files shows that scaffold's time does
not depend on the size of the project. Figures are medians of wall-clock times. Not a test:
nothing here fails because a machine is slow.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SCAFFOLD = str(BIN / "scaffold")
COPIER = str(BIN / "copier")
PIECES = [
    "model",
    "migration",
    "repository",
    "service",
    "schema",
    "endpoint",
    "test-unit-service",
    "test-integration-api",
]
NAMES = [
    "alphas",
    "bravos",
    "charlies",
    "deltas",
    "echoes",
    "foxtrots",
    "golfs",
    "hotels",
    "indias",
    "juliets",
    "kilos",
    "limas",
    "mikes",
    "novembers",
    "oscars",
    "papas",
    "quebecs",
    "romeos",
]
FIELDS = "name:str budget:decimal? starts_at:datetime? active:bool"


def make_project(parent: Path, routers: int, unrelated: int) -> Path:
    subprocess.run(
        [SCAFFOLD, "init", "bench", "--dir", str(parent / "bench")], check=True, capture_output=True
    )
    root = parent / "bench"
    routes = root / "backend/app/api/routes"
    router_file = root / "backend/app/api/main.py"
    imports = "".join(f"from app.api.routes import legacy_{i:03d}\n" for i in range(routers))
    calls = "".join(f"api_router.include_router(legacy_{i:03d}.router)\n" for i in range(routers))
    router_file.write_text(
        f"from fastapi import APIRouter\n\n{imports}\napi_router = APIRouter()\n{calls}"
    )
    for i in range(routers):
        (routes / f"legacy_{i:03d}.py").write_text(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n"
        )
    for i in range(unrelated):
        folder = root / "frontend/node_modules" / f"pkg{i // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"file{i}.js").write_text("module.exports = {}\n")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, capture_output=True)
    subprocess.run(["git", "commit", "-qm", "bench"], cwd=root, check=True, capture_output=True)
    return root


def merged_copier_template(parent: Path) -> Path:
    """The eight backend pieces as one copier template (one answers file)."""
    merged = parent / "merged"
    questions: dict[str, object] = {}
    for piece in PIECES:
        source = REPO / "blueprints/backend" / piece
        config = yaml.safe_load((source / "copier.yml").read_text())
        questions.update({k: v for k, v in config.items() if not k.startswith("_")})
        shutil.copytree(
            source / config.get("_subdirectory", ""), merged / "template", dirs_exist_ok=True
        )
    config = {"_subdirectory": "template", "_templates_suffix": ".jinja", **questions}
    (merged / "copier.yml").write_text(yaml.safe_dump(config))
    return merged


def answers_file(parent: Path, root: Path, name: str) -> Path:
    """The answers scaffold would pass for ``name``, written as a copier data file."""
    sys.path.insert(0, str(REPO / "src"))
    from scaffold.config import load_config
    from scaffold.fields import parse_fields
    from scaffold.migrations import current_head
    from scaffold.naming import ResourceName
    from scaffold.tree import Tree

    config = load_config(root)
    head = current_head(Tree(root), config.backend.path(config.backend.migrations))
    data = {
        "project": config.project_answers(),
        "resource": ResourceName.parse(name).to_answers(),
        "fields": [field.to_answers() for field in parse_fields(FIELDS)],
        # chained like scaffold's, so that both commands keep a single Alembic head
        "migration": {
            "revision": uuid.uuid4().hex[:12],
            "down_revision": head,
            "create_date": "2026-01-15 10:00:00",
        },
    }
    path = parent / f"answers-{name}.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--routers", type=int, default=200)
    parser.add_argument("--unrelated", type=int, default=5000)
    args = parser.parse_args()
    runs = min(args.runs, len(NAMES) // 2)
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as scratch:
        parent = Path(scratch)
        root = make_project(parent, args.routers, 0)
        template = merged_copier_template(parent)
        scaffold_times, copier_times = [], []
        for index in range(runs):
            name = NAMES[index]
            scaffold_times.append(timed([SCAFFOLD, "endpoint", name, "--fields", FIELDS], root))
            other = NAMES[runs + index]
            data = answers_file(parent, root, other)
            copier_times.append(
                timed(
                    [
                        COPIER,
                        "copy",
                        "--quiet",
                        "--defaults",
                        "--overwrite",
                        "--data-file",
                        str(data),
                        "--answers-file",
                        f".scaffold/answers/bench/{other}.yml",
                        str(template),
                        str(root),
                    ],
                    root,
                )
            )
        big_parent = parent / "big"
        big_parent.mkdir()
        big = make_project(big_parent, args.routers, args.unrelated)
        big_times = [
            timed([SCAFFOLD, "endpoint", NAMES[i], "--fields", FIELDS], big) for i in range(runs)
        ]
        help_times = [timed([SCAFFOLD, "--help"], root) for _ in range(max(runs, 5))]

    scaffold_median = statistics.median(scaffold_times)
    copier_median = statistics.median(copier_times)
    print(f"project: {args.routers} registered routers; median of {runs} runs, whole process")
    print(f"  scaffold endpoint NAME        {scaffold_median * 1000:7.0f} ms")
    print(f"  copier copy (same blueprints) {copier_median * 1000:7.0f} ms")
    print(f"  ratio scaffold / copier       {scaffold_median / copier_median:7.2f}")
    print(
        f"  scaffold endpoint NAME, +{args.unrelated} unrelated files "
        f"{statistics.median(big_times) * 1000:7.0f} ms"
    )
    print(f"  scaffold --help               {statistics.median(help_times) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
