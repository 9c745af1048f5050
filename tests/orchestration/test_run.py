"""`scaffold run plan.yaml`: dependency order, parallel phases, failures, the summary."""

from __future__ import annotations

import shutil
from pathlib import Path

from scaffold.orchestration.runner import command_environment
from tests.conftest import Invoke

SEED_PLAN = Path(__file__).parent / "verification" / "seed_plan.yaml"
# Waits (up to 10 s) until the other task has started: passes only if both run at once.
RENDEZVOUS = """\
import pathlib, sys, time
me, other = sys.argv[1:]
pathlib.Path(me).touch()
end = time.time() + 10
while not pathlib.Path(other).exists():
    if time.time() > end:
        sys.exit("alone")
    time.sleep(0.05)
"""


def write_plan(folder: Path, text: str) -> Path:
    path = folder / "plan.yaml"
    path.write_text(text)
    return path


def test_the_seeds_plan_runs_in_dependency_order(scaffold: Invoke, tmp_path: Path) -> None:
    shutil.copy(SEED_PLAN, tmp_path / "plan.yaml")

    result = scaffold("run", "plan.yaml", cwd=tmp_path)

    assert result.exit_code == 0, result.output + result.error
    order = (tmp_path / "order.txt").read_text().split()
    assert sorted(order[:2]) == ["P1", "P2"]
    assert order[2:] == ["S1", "S2", "S4", "validated"]
    assert "S3   manual" in result.output
    assert "6 passed, 0 failed, 0 skipped, 1 manual" in result.output


def test_independent_parallel_tasks_run_at_the_same_time(scaffold: Invoke, tmp_path: Path) -> None:
    (tmp_path / "rendezvous.py").write_text(RENDEZVOUS)
    plan = write_plan(
        tmp_path,
        "objective: rendezvous\nparallel_tasks:\n"
        "  - {id: A, name: a, test: 'python rendezvous.py a b'}\n"
        "  - {id: B, name: b, test: 'python rendezvous.py b a'}\n",
    )

    result = scaffold("run", str(plan), "--jobs", "2", cwd=tmp_path)

    assert result.exit_code == 0, result.output + result.error


def test_jobs_bound_how_many_tasks_run_at_once(scaffold: Invoke, tmp_path: Path) -> None:
    step = "echo start >> log && sleep 0.2 && echo end >> log"
    plan = write_plan(
        tmp_path,
        "objective: one at a time\nparallel_tasks:\n"
        + "".join(f"  - {{id: T{n}, name: t{n}, test: '{step}'}}\n" for n in range(3)),
    )

    result = scaffold("run", str(plan), "--jobs", "1", cwd=tmp_path)

    assert result.exit_code == 0
    assert (tmp_path / "log").read_text().split() == ["start", "end"] * 3


def test_sequential_tasks_never_overlap(scaffold: Invoke, tmp_path: Path) -> None:
    step = "echo start >> log && sleep 0.2 && echo end >> log"
    plan = write_plan(
        tmp_path,
        "objective: in order\nsequential_tasks:\n"
        f"  - {{id: S1, name: one, test: '{step}'}}\n"
        f"  - {{id: S2, name: two, test: '{step}'}}\n",
    )

    result = scaffold("run", str(plan), "--jobs", "4", cwd=tmp_path)

    assert result.exit_code == 0
    assert (tmp_path / "log").read_text().split() == ["start", "end"] * 2


def test_a_failure_skips_its_dependents_and_finishes_the_others(
    scaffold: Invoke, tmp_path: Path
) -> None:
    plan = write_plan(
        tmp_path,
        """\
objective: one failure
parallel_tasks:
  - {id: P1, name: broken, test: "echo about to fail && exit 3"}
  - {id: P2, name: fine, test: "touch p2"}
sequential_tasks:
  - {id: S1, name: after broken, depends: [P1], run: "touch s1"}
  - {id: S2, name: after that, depends: [S1], test: "touch s2"}
  - {id: S3, name: after fine, depends: [P2], test: "touch s3"}
validation:
  - touch validated
""",
    )

    result = scaffold("run", str(plan), cwd=tmp_path)

    assert result.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p2", "plan.yaml", "s3"]
    assert "--- P1 broken: output ---" in result.output
    assert "about to fail" in result.output
    assert "skipped S1   after broken  after P1" in result.output
    assert "skipped S2   after that  after S1" in result.output
    assert "2 passed, 1 failed, 3 skipped, 0 manual" in result.output
    assert "1 task failed: P1" in result.error


def test_a_cycle_is_refused_before_anything_runs(scaffold: Invoke, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path,
        """\
objective: cycle
parallel_tasks:
  - {id: P1, name: first, test: "touch ran"}
sequential_tasks:
  - {id: S1, name: a, depends: [S2], test: "touch ran"}
  - {id: S2, name: b, depends: [S1], test: "touch ran"}
""",
    )

    result = scaffold("run", str(plan), cwd=tmp_path)

    assert result.exit_code == 2
    assert "cycle: S1 -> S2 -> S1" in result.error
    assert not (tmp_path / "ran").exists()


def test_an_unknown_dependency_is_refused(scaffold: Invoke, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path,
        "objective: x\nsequential_tasks:\n"
        "  - {id: S1, name: a, depends: [P9], test: 'touch ran'}\n",
    )

    result = scaffold("run", str(plan), cwd=tmp_path)

    assert result.exit_code == 2
    assert "S1 depends on P9, which no task has as id" in result.error
    assert not (tmp_path / "ran").exists()


def test_an_invalid_plan_names_the_file_and_field(scaffold: Invoke, tmp_path: Path) -> None:
    plan = write_plan(tmp_path, "objective: x\nparallel_tasks:\n  - {id: P1, nom: a}\n")

    result = scaffold("run", str(plan), cwd=tmp_path)

    assert result.exit_code == 2
    assert "plan.yaml" in result.error
    assert "parallel_tasks.0.name" in result.error
    assert "parallel_tasks.0.nom" in result.error


def test_dry_run_shows_the_steps_and_runs_nothing(scaffold: Invoke, tmp_path: Path) -> None:
    shutil.copy(SEED_PLAN, tmp_path / "plan.yaml")

    result = scaffold("run", "plan.yaml", "--dry-run", cwd=tmp_path)

    assert result.exit_code == 0
    assert not (tmp_path / "order.txt").exists()
    steps = result.output.split("Step ")[1:]
    assert [s.split()[1:2] for s in steps] == [["P1"], ["S1"], ["S2"], ["S3"], ["V1"]]
    assert "S4" in steps[3]
    assert "Dry run: nothing was run." in result.output


def test_each_tasks_output_is_kept_apart(scaffold: Invoke, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path,
        "objective: logs\nparallel_tasks:\n"
        "  - {id: A, name: a, run: 'echo from-a-run', test: 'echo from-a-test'}\n"
        "  - {id: B, name: b, test: 'echo from-b'}\n",
    )

    result = scaffold("run", str(plan), "--log-dir", "logs", cwd=tmp_path)

    assert result.exit_code == 0
    assert (tmp_path / "logs/A.log").read_text() == (
        "$ echo from-a-run\nfrom-a-run\n$ echo from-a-test\nfrom-a-test\n"
    )
    assert (tmp_path / "logs/B.log").read_text() == "$ echo from-b\nfrom-b\n"


def test_commands_use_the_projects_venv_first(tmp_path: Path) -> None:
    (tmp_path / ".venv/bin").mkdir(parents=True)
    (tmp_path / ".venv/bin/python").touch()

    env = command_environment(tmp_path)

    assert env["PATH"].split(":")[0] == str(tmp_path / ".venv/bin")
    assert env["VIRTUAL_ENV"] == str(tmp_path / ".venv")


def test_commands_run_from_the_project_root(scaffold: Invoke, project: Path) -> None:
    (project / "custom").mkdir()
    write_plan(
        project / "custom",
        "objective: where\nparallel_tasks:\n"
        "  - {id: P1, name: at the root, test: 'test -f scaffold.yaml'}\n",
    )

    result = scaffold("run", "plan.yaml", cwd=project / "custom")

    assert result.exit_code == 0, result.output
    assert "passed  P1   at the root" in result.output
