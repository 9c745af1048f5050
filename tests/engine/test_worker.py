"""Tests of the process that loads libcst while a generation renders, or copier while an
update prepares (engine/worker.py).

Each test runs its scenario in a fresh Python process: the worker only forks where its
library is not loaded yet and no thread runs, which a pytest process is not.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import cast

import pytest

from tests.helpers import REPO, snapshot

ROUTER = "from fastapi import APIRouter\n\napi_router = APIRouter()\n"
CALL = dict(path="backend/app/api/main.py", module="app.api.routes", router_object="api_router")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker needs fork")


def scenario(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object, returned here."""
    prelude = "import json, os, sys\nfrom scaffold.engine import worker\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=120,
    )
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def gone(pid: int) -> bool:
    """Whether the process ``pid`` has ended (a zombie waiting to be reaped counts)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except FileNotFoundError:
        return True
    return fields[0] in ("Z", "X")


def test_the_child_computes_the_edit_and_the_parent_never_loads_libcst() -> None:
    outcome = scenario(f"""
        worker.start()
        edited = worker.call("register_router", source={ROUTER!r}, name="campaigns", **{CALL!r})
        print(json.dumps({{"running": worker.running(), "edited": edited,
                          "libcst_here": "libcst" in sys.modules}}))
    """)

    assert outcome["running"] is True
    assert outcome["libcst_here"] is False
    from scaffold.edits.router_registry import register_router

    assert outcome["edited"] == register_router(ROUTER, name="campaigns", **CALL)


def test_an_error_in_the_child_is_raised_by_the_parent_with_its_file_and_line() -> None:
    outcome = scenario(f"""
        from scaffold.errors import ProjectError
        worker.start()
        try:
            worker.call("register_router", source="x = (\\n", name="campaigns", **{CALL!r})
        except ProjectError as error:
            print(json.dumps({{"error": str(error), "line": error.line}}))
    """)

    assert outcome["line"] == 1
    assert "backend/app/api/main.py" in str(outcome["error"])
    assert "does not parse" in str(outcome["error"])


def test_a_dead_child_is_replaced_by_the_parent_doing_the_work() -> None:
    outcome = scenario(f"""
        import signal
        worker.start()
        pid = worker._child.pid
        os.kill(pid, signal.SIGKILL)
        edited = worker.call("register_router", source={ROUTER!r}, name="leads", **{CALL!r})
        print(json.dumps({{"edited": edited, "running": worker.running(),
                          "libcst_here": "libcst" in sys.modules}}))
    """)

    assert "include_router(leads.router)" in str(outcome["edited"])
    assert outcome["running"] is False  # given up for the rest of the command
    assert outcome["libcst_here"] is True


def test_a_child_gone_before_the_request_is_given_up_too() -> None:
    """The child dead and reaped before the request is written: the write fails (a closed
    pipe) and the command gives the child up just the same."""
    outcome = scenario(f"""
        import signal
        worker.start()
        pid = worker._child.pid
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        edited = worker.call("register_router", source={ROUTER!r}, name="leads", **{CALL!r})
        print(json.dumps({{"edited": edited, "running": worker.running()}}))
    """)

    assert "include_router(leads.router)" in str(outcome["edited"])
    assert outcome["running"] is False


def test_stop_ends_and_reaps_the_child() -> None:
    outcome = scenario("""
        worker.start()
        pid = worker._child.pid
        worker.stop()
        print(json.dumps({"pid": pid, "exists": os.path.exists(f"/proc/{pid}")}))
    """)

    assert outcome["exists"] is False


def test_the_child_ends_when_its_parent_is_killed() -> None:
    code = "from scaffold.engine import worker\nimport time\nworker.start()\n"
    code += "print(worker._child.pid, flush=True)\ntime.sleep(60)\n"
    parent = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    deadline = time.monotonic() + 30  # it may still be loading libcst: then it reads EOF
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(child)


def test_no_child_where_libcst_is_loaded_or_when_turned_off() -> None:
    loaded = scenario("""
        import libcst
        worker.start()
        print(json.dumps({"running": worker.running()}))
    """)
    os.environ["SCAFFOLD_NO_WORKER"] = "1"
    try:
        off = scenario("""
            worker.start()
            print(json.dumps({"running": worker.running()}))
        """)
    finally:
        del os.environ["SCAFFOLD_NO_WORKER"]

    assert loaded["running"] is False
    assert off["running"] is False


def test_a_generation_writes_the_same_bytes_with_and_without_the_child(
    project: Path, tmp_path: Path
) -> None:
    twin = shutil.copytree(project, tmp_path / "twin")
    command = [sys.executable, "-m", "scaffold", "endpoint", "campaigns", "--fields", "name:str"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    with_child = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    env["SCAFFOLD_NO_WORKER"] = "1"
    without = subprocess.run(command, cwd=twin, env=env, capture_output=True, text=True)

    assert with_child.returncode == without.returncode == 0, with_child.stderr + without.stderr
    assert with_child.stdout == without.stdout
    assert snapshot(project) == snapshot(twin)
    router = (project / "backend/app/api/main.py").read_text()
    assert "include_router(campaigns.router)" in router


def test_warm_ups_and_unread_answers_are_passed_over() -> None:
    outcome = scenario(f"""
        worker.start()
        worker.warm("parse_python", source={ROUTER!r}, path="main.py", doing="parse")
        warmed = len(worker._child.in_flight)
        unread = worker.submit("register_router", source={ROUTER!r}, name="first", **{CALL!r})
        edited = worker.call("register_router", source={ROUTER!r}, name="second", **{CALL!r})
        print(json.dumps({{"warmed": warmed, "edited": edited, "left": len(worker._child.in_flight),
                          "libcst_here": "libcst" in sys.modules}}))
    """)

    assert outcome["warmed"] == 1
    assert "include_router(second.router)" in str(outcome["edited"])
    assert "first" not in str(outcome["edited"])
    assert outcome["left"] == 0  # every request before the answered one was answered too
    assert outcome["libcst_here"] is False


def test_a_warm_up_that_could_make_the_parent_wait_is_not_sent() -> None:
    outcome = scenario("""
        worker.start()
        big = "x = 1\\n" * (worker._child.capacity // 4)  # more than the pipe holds
        worker.warm("parse_python", source=big, path="main.py", doing="parse")
        print(json.dumps({"in_flight": len(worker._child.in_flight)}))
    """)

    assert outcome["in_flight"] == 0


def test_copiers_child_reports_what_copier_said_and_the_parent_never_loads_copier(
    tmp_path: Path,
) -> None:
    not_a_project = tmp_path / "empty"
    not_a_project.mkdir()
    outcome = scenario(f"""
        worker.start("copier")
        said = worker.call("run_copier_update", tempdir={str(tmp_path)!r},
                           dst_path={str(not_a_project)!r}, defaults=True, quiet=True)
        print(json.dumps({{"running": worker.running(), "said": said,
                          "copier_here": "copier" in sys.modules,
                          "libcst_here": "libcst" in sys.modules}}))
    """)

    assert outcome["running"] is True
    assert outcome["said"]  # copier's own words: nothing to update there
    assert outcome["copier_here"] is False
    assert outcome["libcst_here"] is False  # a copier child loads copier only
    assert list(not_a_project.iterdir()) == []


@pytest.mark.parametrize("reaped", [False, True])
def test_a_copier_update_is_never_run_twice_when_its_child_dies(
    tmp_path: Path, reaped: bool
) -> None:
    """Whether the child dies before the request reaches it (reaped: the request cannot
    even be sent) or after, the update is not run in the command's own process."""
    outcome = scenario(f"""
        import signal
        from scaffold.errors import ScaffoldError
        worker.start("copier")
        os.kill(worker._child.pid, signal.SIGKILL)
        if {reaped!r}:
            os.waitpid(worker._child.pid, 0)
        try:
            worker.call("run_copier_update", tempdir={str(tmp_path)!r},
                        dst_path={str(tmp_path)!r}, defaults=True, quiet=True)
            error = None
        except ScaffoldError as raised:
            error = str(raised)
        print(json.dumps({{"error": error, "copier_here": "copier" in sys.modules}}))
    """)

    assert "ended before it answered; nothing was written" in str(outcome["error"])
    assert outcome["copier_here"] is False  # not run here instead


def test_while_the_command_waits_for_the_child_the_generation_is_written_ahead(
    project: Path,
) -> None:
    """What the generation staged before the router edit goes to its temporary files
    while the child computes the edit; the commit writes only what came after."""
    code = f"""
        from scaffold.engine import sinks
        real_write, real_apply = sinks._write_temporary, sinks.DiskSink.apply
        phases = {{"ahead": [], "commit": []}}
        phase = ["ahead"]
        def recording(target, content):
            phases[phase[0]].append(target.relative_to({str(project)!r}).as_posix())
            real_write(target, content)
        def applying(self, tree, changes):
            phase[0] = "commit"
            real_apply(self, tree, changes)
        sinks._write_temporary, sinks.DiskSink.apply = recording, applying
        os.chdir({str(project)!r})
        sys.argv = ["scaffold", "endpoint", "campaigns", "--fields", "name:str"]
        from scaffold.commands.entry import run
        try:
            run()
        except SystemExit as stop:
            assert not stop.code, stop.code
        print(json.dumps(phases))
    """
    outcome = scenario(code)

    # the edit itself, and the record of the generation, which lists the edit
    assert outcome["commit"] == [
        "backend/app/api/main.py",
        ".scaffold/generations/endpoint/campaigns.json",
    ]
    ahead = cast(list[str], outcome["ahead"])
    assert "backend/app/models/campaign.py" in ahead and "docs/workflow/STATUS.md" in ahead
    assert len(ahead) >= 15  # pieces, their answers, the documents
    assert not list(project.rglob("*.scaffold-tmp"))
    assert "include_router(campaigns.router)" in (project / "backend/app/api/main.py").read_text()
