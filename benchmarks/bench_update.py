"""Benchmark: whole-process `scaffold update GENERATOR NAME --piece P` against `copier update`
of the same piece, in one run.

Run:  .venv/bin/python benchmarks/bench_update.py [--runs 5]

A project generated one blueprint version ago (v0.0.9, whose service blueprint words one
docstring line differently, shipped in a history repository as a released wheel does) is
updated to this version's blueprints, once by scaffold and once by copier, from the same
committed state each time (`git reset --hard` between runs). scaffold does more than
copier here: it works in a scratch worktree, settles deleted and removed files, updates the
manifest and applies the result atomically. Medians of wall-clock times. Not a test.
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

from scaffold.spec.resources import builtin_dir

BIN = Path(sys.executable).parent
SCAFFOLD = str(BIN / "scaffold")
COPIER = str(BIN / "copier")
PIECE = "backend/service"
NEW_LINE = "Every operation acts within one tenant."
OLD_LINE = "Every operation stays inside its tenant."


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=b", "-c", "user.email=b@b", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


def old_release(parent: Path) -> Path:
    """A history bundle whose v0.0.9 is today's blueprints with one line worded the old way."""
    history = parent / "history"
    shutil.copytree(builtin_dir("blueprints"), history / "blueprints")
    (template,) = (history / "blueprints" / PIECE / "template").glob("{{ project.paths.services*")
    template.write_text(template.read_text().replace(NEW_LINE, OLD_LINE))
    git(history, "init", "-q", "-b", "main")
    git(history, "add", "-A")
    git(history, "commit", "-qm", "0.0.9")
    git(history, "tag", "v0.0.9")
    # a git bundle, as the wheel ships its history (a folder would be fetched on every run)
    bundle = parent / "history.bundle"
    git(history, "bundle", "create", "-q", str(bundle), "--all")
    return bundle


def project_on_old_version(parent: Path, env: dict[str, str]) -> tuple[Path, str]:
    root = parent / "bench"
    subprocess.run([SCAFFOLD, "init", "bench", "--dir", str(root)], env=env, check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run([SCAFFOLD, "endpoint", "campaigns", "--fields", "name:str"], cwd=root,
                   env=env, check=True, capture_output=True)  # fmt: skip
    service = root / "backend/app/services/campaign.py"
    service.write_text(service.read_text().replace(NEW_LINE, OLD_LINE) + "\n# hand edit\n")
    for answers in (root / ".scaffold/answers/endpoint/campaigns").glob("*.yml"):
        answers.write_text(answers.read_text().replace("_commit: v0.1.0", "_commit: v0.0.9"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "generated with 0.0.9, then edited")
    return root, git(root, "rev-parse", "HEAD").strip()


def whole_answers_for_copier(root: Path, answers: str) -> str:
    """A commit on top of HEAD where the piece's answers file holds the shared answers
    scaffold keeps in ``.scaffold/answers/_*/`` (copier reads the file whole; scaffold's
    update puts them back in its scratch worktree the same way); returns its hash."""
    from scaffold.engine.answers_store import read_answers_text
    from scaffold.engine.tree import Tree

    whole = read_answers_text(Tree(root), answers)
    assert whole is not None
    (root / answers).write_text(whole)
    git(root, "commit", "-qam", "the answers file whole, as copier writes it")
    return git(root, "rev-parse", "HEAD").strip()


def one_piece_update(runs: int) -> tuple[float, float]:
    """Medians of ``scaffold update --piece`` and ``copier update`` of the same piece."""
    with tempfile.TemporaryDirectory(prefix="scaffold-bench-update-") as scratch:
        parent = Path(scratch)
        env = {
            **os.environ,
            "SCAFFOLD_HOME": str(parent / "home"),
            "SCAFFOLD_BLUEPRINT_HISTORY": str(old_release(parent)),
        }
        root, start = project_on_old_version(parent, env)
        answers = ".scaffold/answers/endpoint/campaigns/backend-service.yml"
        copier_start = whole_answers_for_copier(root, answers)
        ours = [SCAFFOLD, "update", "endpoint", "campaigns", "--piece", PIECE]
        theirs = [COPIER, "update", "--quiet", "--defaults", "--skip-answered",
                  "--answers-file", answers, "--vcs-ref", "v0.1.0", "."]  # fmt: skip
        scaffold_times, copier_times = [], []
        for _ in range(runs):
            git(root, "reset", "-q", "--hard", start)
            scaffold_times.append(run(ours, root, env))
            assert NEW_LINE in (root / "backend/app/services/campaign.py").read_text()
            git(root, "reset", "-q", "--hard", copier_start)
            copier_times.append(run(theirs, root, env))
            assert NEW_LINE in (root / "backend/app/services/campaign.py").read_text()
    return statistics.median(scaffold_times), statistics.median(copier_times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ours, theirs = one_piece_update(args.runs)
    print(f"update of one piece ({PIECE}), v0.0.9 -> v0.1.0, median of {args.runs} runs")
    print(f"  scaffold update --piece   {ours * 1000:6.0f} ms")
    print(f"  copier update             {theirs * 1000:6.0f} ms")
    print(f"  ratio scaffold / copier   {ours / theirs:6.2f}")


if __name__ == "__main__":
    main()
