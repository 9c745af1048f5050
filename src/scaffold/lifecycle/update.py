"""``scaffold update``: bring generated pieces up to the current blueprints with copier.

copier's update does the merge (the old version is rendered again, the user's changes are
diffed out of the project and re-applied over the new version; failed hunks become inline
conflict markers). It needs a clean git tree and updates one answers file at a time, and it
reports conflicts without failing. So scaffold runs every piece's update in a scratch
``git worktree`` of the project (clean by construction, one commit per piece), finds the
conflicts itself, fixes what copier leaves behind (a file the new blueprint no longer has is
removed only if the user never changed it), and brings the result into the project through
the same atomic commit step as every generation: the project is either fully updated or
untouched. Answers files are stored compact (``answers_store``): each is inflated in the
worktree, and committed there, before copier reads it, and compacted again after. A dry
run does all of it and shows the outcome without writing.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scaffold.blueprint.store import (
    builtin_versions,
    ensure_piece_repo,
    piece_source,
    run_git,
    version_tag,
)
from scaffold.engine import worker
from scaffold.engine.manifest import MANIFEST_DIR, GenerationRecord, content_hash, load_record
from scaffold.engine.project_cache import StateMemo
from scaffold.engine.transaction import Transaction, open_project
from scaffold.engine.tree import Action, Change, Tree
from scaffold.errors import InvalidInputError, ProjectError, ScaffoldError
from scaffold.inputs.subject import on_record, parse_subject
from scaffold.spec.config import INIT_LINE_LENGTH, ProjectConfig
from scaffold.spec.generators import load_generator
from scaffold.spec.project_root import find_project_root

if TYPE_CHECKING:  # the rest is imported where an update has work to do: "nothing to do" is fast
    from scaffold.blueprint.find import Blueprint
    from scaffold.blueprint.team import TeamBlueprints

CONFLICT_MARKER = b"<<<<<<< before updating"


@dataclass(frozen=True)
class FileOutcome:
    path: str
    outcome: str
    """merged, conflict, added, removed, kept (edited, gone from the blueprint), unchanged."""


@dataclass
class PieceUpdate:
    generator: str
    name: str
    blueprint: str
    old: str
    new: str
    files: list[FileOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class UpdateResult:
    pieces: list[PieceUpdate]
    skipped: list[str]
    """Pieces left alone, and why (project blueprints, already up to date)."""
    changes: list[Change]
    applied: bool
    refreshed: list[str] = field(default_factory=list)
    """The assistant's command files rewritten from the generators and workflows."""

    @property
    def conflicts(self) -> list[str]:
        return [f.path for piece in self.pieces for f in piece.files if f.outcome == "conflict"]


def update(
    targets: list[tuple[str, str]] | None,
    *,
    cwd: Path,
    dry_run: bool = False,
    pieces_only: frozenset[str] = frozenset(),
) -> UpdateResult:
    """Update the generations ``targets`` (``(generator, NAME)`` pairs; None for all),
    or only their pieces named in ``pieces_only`` (``backend/service``)."""
    command = "update " + (" ".join(f"{g} {n}" for g, n in targets) if targets else "--all")
    with open_project(find_project_root(cwd), command=command, dry_run=dry_run) as txn:
        records = _select(txn.root, txn.config, targets)
        refresh = targets is None and not pieces_only
        if refresh:  # project-wide files may change even when no piece needs updating
            _require_clean_git_tree(txn.root)
        pieces, skipped = _update(txn, records, pieces_only, tree_checked=refresh)
        # project-wide files: refreshed by `update --all`, not by an update of named ones
        refreshed = _refresh_assistant_files(txn) if refresh else []
        tree_changes = txn.commit()
    return UpdateResult(pieces, skipped, tree_changes, applied=not dry_run, refreshed=refreshed)


def _refresh_assistant_files(txn: Transaction) -> list[str]:
    """The assistant's command files follow the generators and workflows (those the team
    edited stay as they are); returns the files rewritten."""
    from scaffold.assistant.command_files import stage_assistant_files

    staged = {change.path for change in txn.tree.changes()}
    stage_assistant_files(txn.tree, txn.config)
    return [
        change.path
        for change in txn.tree.changes()
        if change.path not in staged and change.action is not Action.UNCHANGED
    ]


def _update(
    txn: Transaction,
    records: list[GenerationRecord],
    pieces_only: frozenset[str],
    *,
    tree_checked: bool,
) -> tuple[list[PieceUpdate], list[str]]:
    """Run every piece's update in a scratch worktree; stage the outcome on ``txn.tree``.
    The project's git tree must be clean when a piece needs updating (``tree_checked``:
    the caller made sure already)."""
    root, config = txn.root, txn.config
    sources = _Sources(config)
    pieces: list[PieceUpdate] = []
    skipped: list[str] = []
    # plan from the project's answers files (HEAD's once the tree is found clean below),
    # and pay for git and a worktree only when some piece needs updating
    planned = [
        (
            record,
            [
                plan
                for plan in _piece_plans(root, record, sources, skipped)
                if not pieces_only or plan[0] in pieces_only
            ],
        )
        for record in records
    ]
    StateMemo.named("answers-commits").save()
    if not any(plans for _, plans in planned):
        return pieces, skipped  # nothing to write, whatever the tree's state
    if not tree_checked:
        _require_clean_git_tree(root)
    import tempfile  # here: "nothing to update" does not pay for it

    # copier's scratch files, and ours, stay inside the project and go with the run
    scratch = txn.scratch()
    previous_tempdir, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        pieces += _update_planned(txn, planned, sources, scratch / "worktree")
    finally:
        tempfile.tempdir = previous_tempdir
    return pieces, skipped


def _update_planned(
    txn: Transaction,
    planned: list[tuple[GenerationRecord, list[tuple[str, str, str, str]]]],
    sources: _Sources,
    worktree: Path,
) -> list[PieceUpdate]:
    """The planned pieces' updates, run in a scratch ``worktree`` of the project."""
    root, config = txn.root, txn.config
    pieces: list[PieceUpdate] = []
    copier_loaded = None if worker.running() else _load_copier_meanwhile()
    from scaffold.blueprint.find import find_blueprint
    from scaffold.engine.answers_store import collect_garbage

    _git(root, "worktree", "add", "-q", "--no-checkout", "--detach", str(worktree), "HEAD")
    start = _git(worktree, "rev-parse", "HEAD").strip()
    checkout = _SparseCheckout(worktree)
    try:
        # copier reads each answers file whole and diffs it with what it renders: the
        # shared blocks go back in first, committed with the files brought out
        answers_files = [plan[1] for _, plans in planned for plan in plans]
        checkout.bring([*answers_files, *(record.path for record, plans in planned if plans)])
        for path in answers_files:
            _inflate_answers(checkout, txn.tree, path)
        checkout.commit()
        if copier_loaded is not None:
            copier_loaded.join()  # the pieces' own imports, rendering included, run alone
        for record, plans in planned:
            for blueprint, answers_file, old, origin in plans:
                target = sources.target(origin)
                piece = PieceUpdate(record.generator, record.name, blueprint, old, target)
                repo = sources.repo(origin, blueprint)
                new_blueprint = find_blueprint(blueprint, team=sources.team_of(origin))
                _update_piece(checkout, config, record, piece, answers_file, repo, new_blueprint)
                pieces.append(piece)
                _git(worktree, "add", "-A")
                _git(worktree, "commit", "-q", "--allow-empty", "-m", f"update {blueprint}")
        _bring_back(txn.tree, checkout, start)
        # a configuration changed since leaves the blocks of the old one to no answers file
        collect_garbage(txn.tree)
    finally:
        _git(root, "worktree", "remove", "--force", str(worktree))
    return pieces


def _load_copier_meanwhile() -> threading.Thread:
    """Without a process loading copier (``worker.start("copier")``, forked when the
    command started), import it in a thread while the scratch worktree's git commands
    leave this process waiting. A failed import is left for the piece's own update to
    raise, where it is reported."""

    def load() -> None:
        with contextlib.suppress(Exception):
            import copier  # noqa: F401

    thread = threading.Thread(target=load, name="scaffold-load-copier", daemon=True)
    thread.start()
    return thread


def _select(
    root: Path, config: ProjectConfig, targets: list[tuple[str, str]] | None
) -> list[GenerationRecord]:
    tree = Tree(root)
    if targets is None:
        folder = root / MANIFEST_DIR / "generations"
        found = [load_record(tree, p.parent.name, p.stem) for p in sorted(folder.glob("*/*.json"))]
        return [record for record in found if record is not None]
    records = []
    for generator, name in targets:
        spec = load_generator(generator, root / config.generators).spec
        subject = on_record(tree, generator, parse_subject(spec.subject, name, generator=generator))
        record = load_record(tree, generator, subject.record_name)
        if record is None:
            raise InvalidInputError(
                f"nothing was generated as '{generator} {subject.record_name}' in this project",
                hint="`scaffold update --all` updates every generation on record",
            )
        records.append(record)
    return records


def _require_clean_git_tree(root: Path) -> None:
    try:
        status = _git(root, "status", "--porcelain")
    except ProjectError:
        raise ProjectError(
            "scaffold update needs the project to be a git repository",
            hint="`git init && git add -A && git commit -m 'Before scaffold update'`",
        ) from None
    # the lock of an earlier scaffold run creates .scaffold/.gitignore: not the user's work
    lines = [line for line in status.splitlines() if line != f"?? {MANIFEST_DIR}/.gitignore"]
    if lines:
        changed = [line[3:] for line in lines[:10]]
        raise UpdateBlockedError(
            "the project has uncommitted changes; scaffold update merges into committed "
            "work only, so nothing was changed:",
            paths=changed,
        )
    merging = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", "MERGE_HEAD"], cwd=root, capture_output=True
    )
    if merging.returncode == 0:
        raise UpdateBlockedError(
            "a git merge is in progress; scaffold update would fold its changes into the "
            "merge commit, so nothing was changed:",
            paths=["MERGE_HEAD"],
            hint="finish the merge (`git commit`) or abort it, then run scaffold update again",
        )


class UpdateBlockedError(ScaffoldError):
    """The project is not in a state an update can start from (exit 1)."""

    def __init__(
        self,
        message: str,
        *,
        paths: list[str],
        hint: str = "commit or stash them, then run scaffold update again",
    ) -> None:
        super().__init__(message, hint=hint)
        self.paths = paths

    def __str__(self) -> str:
        listing = "".join(f"\n  {path}" for path in self.paths)
        return f"{self.message}{listing}\n  hint: {self.hint}"


class _Sources:
    """The versioned blueprint collections pieces come from, loaded once and only if needed."""

    def __init__(self, config: ProjectConfig) -> None:
        self.config = config

    @cached_property
    def team(self) -> TeamBlueprints | None:
        from scaffold.blueprint.team import team_blueprints

        return team_blueprints(self.config, fetch=True)  # a team's newest release counts

    @cached_property
    def _builtin_versions(self) -> dict[str, Path]:
        return builtin_versions()

    @cached_property
    def _team_versions(self) -> dict[str, Path]:
        return self._require_team().versions()

    def _require_team(self) -> TeamBlueprints:
        if self.team is None:
            raise ProjectError(
                "a piece was generated from a team blueprint repository, but scaffold.yaml "
                "names none",
                hint="set blueprint_repository.url in scaffold.yaml",
            )
        return self.team

    def team_of(self, origin: str) -> TeamBlueprints | None:
        return self._require_team() if origin == "team" else None

    def target(self, origin: str) -> str:
        return version_tag(self._require_team().version) if origin == "team" else version_tag()

    def repo(self, origin: str, blueprint: str) -> Path:
        if origin == "team":
            team = self._require_team()
            source = piece_source(blueprint, team.collection)
            return ensure_piece_repo(blueprint, self._team_versions, source=source)
        return ensure_piece_repo(blueprint, self._builtin_versions)


def _piece_plans(
    root: Path, record: GenerationRecord, sources: _Sources, skipped: list[str]
) -> list[tuple[str, str, str, str]]:
    """``(blueprint, answers file, old version, origin)`` of the pieces that need updating."""
    plans = []
    for piece in record.pieces:
        label = f"{record.generator} {record.name}: {piece['blueprint']}"
        origin = str(piece.get("origin"))
        if piece.get("shared"):
            continue  # shared files belong to the project, not to one generation
        if origin not in ("builtin", "team"):
            skipped.append(f"{label} (project blueprint: edit it, then --force the generator)")
            continue
        old = _recorded_commit(root, piece["answers_file"]) or version_tag(record.scaffold_version)
        target = sources.target(origin)
        if old == target:
            skipped.append(f"{label} (already {target})")
            continue
        plans.append((piece["blueprint"], piece["answers_file"], old, origin))
    return plans


class _SparseCheckout:
    """The scratch worktree holds only the files the updated pieces render, their answers
    files and records: an update touches what it updates, not the whole project (a
    checkout of thousands of files in a big one).

    Its HEAD is a commit on top of the project's whose tree holds only the files brought
    out (``bring``, then ``commit``): copier finds the tree clean, and the diff it applies,
    from the old render to the destination's whole tree (``git write-tree``), spans those
    files rather than the whole project, which ``git apply`` would otherwise write out
    file by file (every project file is new to the old render). ``_bring_back`` takes
    the files the project did not lend for deleted ones out of the outcome."""

    def __init__(self, worktree: Path) -> None:
        self.worktree = worktree
        # ``<mode> <type> <object>\t<path>``: what ``update-index --index-info`` reads back
        listing = _git(worktree, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
        self._entries = {
            entry.split("\t", 1)[1]: entry for entry in listing.split("\0") if "\t" in entry
        }
        self.tracked = set(self._entries)
        self.out: set[str] = set()

    def bring(self, paths: Iterable[str]) -> None:
        """Check the project's ``paths`` out into the worktree and its index (those it
        tracks; a path it does not is one the update may create)."""
        wanted = sorted(set(paths) & self.tracked - self.out)
        if not wanted:
            return
        entries = "".join(f"{self._entries[path]}\0" for path in wanted)
        _git_stdin(self.worktree, entries, "update-index", "--add", "-z", "--index-info")
        _git_stdin(self.worktree, "\0".join(wanted), "checkout-index", "-f", "-z", "--stdin")
        self.out.update(wanted)

    def commit(self) -> None:
        """Commit what was brought out (and changed since): copier needs a clean tree."""
        _git(self.worktree, "add", "-A")
        _git(self.worktree, "commit", "-q", "--allow-empty", "-m", "files brought out")


def _update_piece(
    checkout: _SparseCheckout,
    config: ProjectConfig,
    record: GenerationRecord,
    piece: PieceUpdate,
    answers_file: str,
    repo: Path,
    new_blueprint: Blueprint,
) -> None:
    from scaffold.blueprint.render import render_blueprint

    worktree = checkout.worktree
    recorded = _read_answers(worktree / answers_file)
    data = _fresh_answers(config, record, recorded)
    old_render = _render_version(repo, piece.blueprint, piece.old, recorded, answers_file)
    new_render = render_blueprint(new_blueprint, data, answers_file=answers_file)
    checkout.bring([*old_render, *new_render, *record.files])
    checkout.commit()
    deleted_by_user = {p for p in old_render if not (worktree / p).exists()}
    # copier deletes what the new version no longer renders, hand edits included
    before = {p: (worktree / p).read_bytes() for p in old_render if p not in deleted_by_user}
    import tempfile

    failure = worker.call(  # where copier has been loading since the command started
        "run_copier_update",
        tempdir=tempfile.gettempdir(),  # the run's scratch folder (``update``)
        dst_path=str(worktree),
        data=data,
        answers_file=answers_file,
        vcs_ref=piece.new,
        overwrite=True,
        defaults=True,
        skip_answered=True,
        quiet=True,
        conflict="inline",
        unsafe=False,
    )
    if failure is not None:
        raise ScaffoldError(
            f"copier could not update {piece.blueprint} of {record.generator} {record.name}: "
            f"{failure}; the project was not changed"
        )
    for path in sorted((set(old_render) | set(new_render)) - {answers_file}):
        piece.files.append(
            _settle(worktree, record, path, old_render, new_render, deleted_by_user, before)
        )
    for path, content in new_render.items():
        record.files[path] = content_hash(content)
    for path in set(old_render) - set(new_render):
        record.files.pop(path, None)
    record.files[answers_file] = content_hash(_compact_answers(checkout, answers_file))
    (worktree / record.path).write_text(record.to_json(), encoding="utf-8")


def _inflate_answers(checkout: _SparseCheckout, tree: Tree, answers_file: str) -> None:
    """Put the shared blocks back into the worktree's ``answers_file``. The blocks are read
    from the project, whose tree is HEAD's (checked clean)."""
    from scaffold.engine.answers_store import inflate

    path = checkout.worktree / answers_file
    text = path.read_text(encoding="utf-8")
    inflated = inflate(text, tree.read_text, source=answers_file)
    if inflated != text:
        path.write_bytes(inflated.encode("utf-8"))


def _compact_answers(checkout: _SparseCheckout, answers_file: str) -> bytes:
    """Compact the answers file copier wrote in the worktree, writing the blocks HEAD
    lacks beside it (a block HEAD has holds the same bytes: its name is their digest);
    returns the compact bytes."""
    from scaffold.engine.answers_store import compact

    path = checkout.worktree / answers_file
    text, blocks = compact(path.read_text(encoding="utf-8"))
    for block, content in blocks.items():
        target = checkout.worktree / block
        if block not in checkout.tracked and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8"))
    data = text.encode("utf-8")
    path.write_bytes(data)
    return data


def _settle(
    worktree: Path,
    record: GenerationRecord,
    path: str,
    old_render: dict[str, bytes],
    new_render: dict[str, bytes],
    deleted_by_user: set[str],
    before: dict[str, bytes],
) -> FileOutcome:
    """Fix what copier leaves behind for ``path`` and say what happened to it."""
    target = worktree / path
    if path in deleted_by_user:
        target.unlink(missing_ok=True)  # deleted on purpose: it stays deleted
        return FileOutcome(path, "stays deleted")
    if path not in new_render:
        original = before.get(path)
        if original is not None and content_hash(original) != record.files.get(path):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(original)  # the user's work is never dropped
            return FileOutcome(path, "kept (edited, gone from the blueprint)")
        target.unlink(missing_ok=True)
        return FileOutcome(path, "removed")
    if path not in old_render:
        return FileOutcome(path, "added")
    content = target.read_bytes() if target.exists() else b""
    if CONFLICT_MARKER in content or target.with_name(target.name + ".rej").exists():
        return FileOutcome(path, "conflict")
    if old_render[path] == new_render[path]:
        return FileOutcome(path, "unchanged")
    return FileOutcome(path, "merged")


def _fresh_answers(
    config: ProjectConfig, record: GenerationRecord, recorded: dict[str, Any]
) -> dict[str, Any]:
    """The answers the new blueprint gets: the recorded ones, re-derived with today's tables
    (a newer scaffold may spell a field type in more ways than the recorded answers hold)."""
    data = {key: value for key, value in recorded.items() if not key.startswith("_")}
    # the width the piece was laid out at when it was generated (the project's ruff's then)
    project = recorded.get("project")
    width = project.get("line_length") if isinstance(project, dict) else None
    data["project"] = config.project_answers(
        line_length=width if isinstance(width, int) else INIT_LINE_LENGTH
    )
    if "fields" in record.answers:
        from scaffold.inputs.fields import Field  # an old record's answers only

        data["fields"] = [Field(**short).to_answers() for short in record.answers["fields"]]
    if "props" in record.answers:
        from scaffold.inputs.props import Prop

        data["props"] = [Prop(**short).to_answers() for short in record.answers["props"]]
    return data


def _render_version(
    repo: Path, piece: str, version: str, answers: dict[str, Any], answers_file: str
) -> dict[str, bytes]:
    """What ``piece`` at ``version`` renders with the recorded answers (copier's old side)."""
    import tempfile

    from scaffold.blueprint.find import Blueprint
    from scaffold.blueprint.render import render_blueprint

    with tempfile.TemporaryDirectory(prefix="scaffold-old-") as scratch:
        archive = subprocess.run(
            ["git", "archive", version], cwd=repo, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", scratch], input=archive, check=True)
        old = Blueprint(piece, Path(scratch), "builtin")
        data = {key: value for key, value in answers.items() if not key.startswith("_")}
        return render_blueprint(old, data, answers_file=answers_file)


def _bring_back(tree: Tree, checkout: _SparseCheckout, start: str) -> None:
    """Stage on the project's tree every file the updates changed in the worktree (a file
    the project did not lend it is not deleted: it was never there)."""
    worktree = checkout.worktree
    changed = _git(worktree, "diff", "--name-status", "--no-renames", "-z", start, "HEAD")
    items = changed.split("\0")
    for status, path in zip(items[::2], items[1::2], strict=False):
        source = worktree / path
        if status == "D" or not source.exists():
            if path in checkout.out:
                tree.delete(path, reason="update", generated=False)
        else:
            tree.write(path, source.read_bytes(), reason="update", generated=False)


def _recorded_commit(root: Path, answers_file: str) -> str | None:
    """The blueprint version an answers file says its piece was rendered from.

    Remembered with the file's state (``StateMemo``): "nothing to update" then reads no
    YAML (importing it was a tenth of that command), and ``update --all`` on 300 resources
    stats 2,000 answers files rather than parsing them.
    """

    def read() -> str | None:
        commit = _read_answers(root / answers_file).get("_commit")
        return str(commit) if commit else None

    memo = StateMemo.named("answers-commits")
    return memo.of_file(str(root / answers_file), answers_file, read)


def _read_answers(path: Path) -> dict[str, Any]:
    from scaffold.spec.yaml_load import load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(
            "the answers file of a generated piece is missing; scaffold cannot update it",
            path=path.name,
            hint="restore it from git",
        ) from None
    return data if isinstance(data, dict) else {}


def _git(cwd: Path, *args: str) -> str:
    return run_git(cwd, *args)


def _git_stdin(cwd: Path, stdin: str, *args: str) -> None:
    """``git ARGS`` reading ``stdin`` (path lists too long for a command line)."""
    run_git(cwd, *args, stdin=stdin)
