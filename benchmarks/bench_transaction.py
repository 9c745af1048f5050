"""Benchmark: what the transaction adds to a generation (project lock + journal).

Run:  .venv/bin/python benchmarks/bench_transaction.py [--runs 200]

Times, in-process, the lock taken and released, and the journal written and cleared for the
changes of one `scaffold endpoint` (its files created, the router file, STATUS.md and two
documents updated), in a project made by `scaffold init`. The rest of the disk sink (temporary
files and `os.replace`) was there before the transaction and is timed apart. Medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scaffold.engine import journal
from scaffold.engine.lock import project_lock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    scaffold = str(Path(sys.executable).parent / "scaffold")
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-") as scratch:
        root = Path(scratch) / "bench"
        subprocess.run(
            [scaffold, "init", "bench", "--dir", str(root)], check=True, capture_output=True
        )
        plan = subprocess.run(
            [scaffold, "endpoint", "campaigns", "--fields", "name:str", "--dry-run"],
            cwd=root, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        paths = [line.split()[1] for line in plan.splitlines() if line.startswith("  create")]
        updated = [line.split()[1] for line in plan.splitlines() if line.startswith("  update")]
        before = [(path, None) for path in paths] + [(p, (root / p).read_bytes()) for p in updated]
        lock_times, journal_times = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            with project_lock(root, command="bench"):
                lock_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                journal.begin(root, command="bench", before=before, created_dirs=[])
                journal.finish(root)
                journal_times.append(time.perf_counter() - start)
    lock, journaled = statistics.median(lock_times), statistics.median(journal_times)
    print(f"scaffold endpoint: {len(paths)} files created, {len(updated)} updated")
    print(f"  project lock, take and release   {lock * 1000:6.2f} ms")
    print(f"  journal, write and clear         {journaled * 1000:6.2f} ms")
    print(f"  together                         {(lock + journaled) * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
