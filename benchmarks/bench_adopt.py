"""Benchmark: whole-process `scaffold adopt` on Netflix/dispatch (about 650 modules), and
`scaffold endpoint` in the adopted project against a project made by `scaffold init`.

Run:  .venv/bin/python benchmarks/bench_adopt.py [--runs 5] [--archive PATH]

The archive (../shared/external/dispatch.tar.gz from the repository root by default) is
extracted once into a temporary folder; each run adopts a fresh copy (scaffold.yaml and the
adapter written to disk, through the transaction), as a user runs it. For scale, the same
loop times `scaffold --help` (the process and the CLI's start) and `scaffold adopt --dry-run`.
Then, in the same loop, `scaffold endpoint campaigns` runs in the freshly adopted copy and in
a fresh copy of a project made by `scaffold init` (neither has the frontend's packages, so
neither regenerates API types): issue 10 asks that the adopted project be as fast. The first
generation in a project fills its cache (``.scaffold/cache/``), so later generations, timed
apart and alternating between the two projects, are a team's steady state.
Medians of wall-clock times; the goal for adopt is 2 s. Not a test: nothing here fails
because a machine is slow.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

GOAL = 2.0
ENDPOINT = ["endpoint", "campaigns", "--fields", "name:str budget:decimal?"]
REPO = Path(__file__).resolve().parents[1]
SCAFFOLD = str(Path(sys.executable).with_name("scaffold"))


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--archive", type=Path, default=REPO.parent / "shared" / "external" / "dispatch.tar.gz"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-adopt-") as folder:
        pristine = Path(folder) / "pristine"
        pristine.mkdir()
        with tarfile.open(args.archive) as tar:
            tar.extractall(pristine, filter="data")
        modules = sum(1 for _ in pristine.rglob("*.py"))
        initialised = Path(folder) / "initialised"
        timed([SCAFFOLD, "init", "vectra", "--dir", str(initialised), "--no-git"], Path(folder))
        adopt, dry, bare, in_adopted, in_initialised = [], [], [], [], []
        for run in range(args.runs):
            project = Path(folder) / f"run{run}"
            shutil.copytree(pristine, project)
            bare.append(timed([SCAFFOLD, "--help"], project))
            dry.append(timed([SCAFFOLD, "adopt", "--dry-run"], project))
            adopt.append(timed([SCAFFOLD, "adopt"], project))
            if not (project / "scaffold.yaml").is_file():
                raise SystemExit("scaffold adopt wrote no scaffold.yaml")
            in_adopted.append(timed([SCAFFOLD, *ENDPOINT], project))
            fresh = shutil.copytree(initialised, Path(folder) / f"init{run}")
            in_initialised.append(timed([SCAFFOLD, *ENDPOINT], fresh))
        # a team's steady state: later generations in each project, alternating
        steady_adopted, steady_initialised = [], []
        for word in ["leads", "deals", "notes", "calls", "tasks", "teams", "goals"][: args.runs]:
            command = [SCAFFOLD, "endpoint", word, "--fields", "name:str budget:decimal?"]
            steady_adopted.append(timed(command, project))
            steady_initialised.append(timed(command, fresh))
    median = statistics.median(adopt)
    adopted_endpoint = statistics.median(in_adopted)
    initialised_endpoint = statistics.median(in_initialised)
    print(f"scaffold adopt on dispatch ({modules} modules): {median:.2f} s median")
    print(f"  min {min(adopt):.2f} s, max {max(adopt):.2f} s over {args.runs} runs")
    print(f"  --dry-run {statistics.median(dry):.2f} s; for scale, scaffold --help ", end="")
    print(f"{statistics.median(bare):.2f} s")
    print(f"  goal {GOAL} s: {'met' if median <= GOAL else 'NOT met'}")
    print(f"scaffold endpoint, adopted dispatch: {adopted_endpoint * 1000:.0f} ms median")
    print(f"scaffold endpoint, made by init:     {initialised_endpoint * 1000:.0f} ms median")
    print(f"  ratio adopted / initialised        {adopted_endpoint / initialised_endpoint:.2f}")
    steady = statistics.median(steady_adopted), statistics.median(steady_initialised)
    print(f"later endpoints, adopted dispatch:   {steady[0] * 1000:.0f} ms median")
    print(f"later endpoints, made by init:       {steady[1] * 1000:.0f} ms median")
    print(f"  ratio adopted / initialised        {steady[0] / steady[1]:.2f}")


if __name__ == "__main__":
    main()
