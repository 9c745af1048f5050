"""The project modules that running Alembic's ``env.py`` imports, remembered between runs.

``model_registry`` places a new model's import by them: read with ``ast`` only (no project
code runs), scaffold follows what ``env.py`` imports through the project's own modules,
packages' ``__init__.py`` included (importing ``dispatch.config`` runs
``dispatch/__init__.py``, which imports every model there). In Netflix/dispatch that is
156 of its 650 modules, and a thousand names an import may load that are not the
project's files (``sqlalchemy.orm``, ``dispatch.incident.models.Incident``).

What one run found is remembered in ``.scaffold/cache/memo/model-reach.json``: each module
reached, with its file's state (size and modification time, taken before it was read),
how many model imports it holds, and what it imports: links to other reached modules and
to the names that were not the project's files (40 KB in dispatch). A generation changes
little of it (the module that gets the model import, the new model's module), so what
differs from that file is written beside it, in ``model-reach-since.json``, until it
grows: the big file is written again only then. The next run stats the reached files:
those that kept their state are not read again; those that changed (the one the last
generation added a model import to) are read and what they import now is followed (from
``model_import_facts``, which parses only a text it does not know); the
names that were not files are checked to be still not files, by a listing of their folder
(``Tree.may_exist``), except those inside a module file (``dispatch.case.models.Case``),
which Python never imports as modules. Anything else (a reached module gone or
unreadable, a name that has become a file) and the whole reach is followed again, which
is what a first run does.
A file this run stages is read as staged and remembered as changed.

What the reach came to is remembered too, as it stands
(``.scaffold/cache/memo/model-reach-standing.txt``): each module with its file's state
and count of model imports, and the names that were not modules (but those inside a
module file). While every state holds and no such name has become a module, a run takes
the reach as it is, without loading the links or following anything. A generation changes
a reached module (the model import), so it advances the standing as it stages the import:
the module as staged, and the new model's module, staged too, followed. Those files are
remembered by a digest of their bytes, not by their state: this run writes them last, and
the state they will have is not known before. Remembered ahead, the standing costs the
command nothing once its libcst edit is done, which the command waits for; written after
the files, it would. The next run compares their bytes, then takes their states. A run
that does not write what it staged (refused, failed) leaves bytes that differ on the disk:
the next run follows the reach.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.engine.manifest import content_hash
from scaffold.engine.project_cache import file_state, read_memo, write_memo
from scaffold.engine.tree import Tree
from scaffold.errors import ScaffoldError
from scaffold.spec.config import BackendConfig

__all__ = [
    "Reached",
    "after_model_import",
    "is_model_module",
    "reach",
    "reached_modules",
]

_FILE = "model-reach.json"
_SINCE = "model-reach-since.json"
_SINCE_AT_MOST = 32
"""Modules and names a run writes beside the whole reach; more, and it is written again."""
_VERSION = "model-reach 2"
"""Part of the key: a reach written by a scaffold that wrote it differently is not read."""

# Module names that hold models in layouts with one package per feature
# (dispatch.incident.models): their imports count as model imports too.
_MODEL_MODULE_NAMES = {"models", "model", "tables"}


@dataclass(frozen=True, slots=True)
class Reached:
    """A project module that running ``env.py`` imports."""

    path: str
    """Its file: ``x.py`` or ``x/__init__.py``; ``env.py`` itself for ``""``."""
    model_imports: int
    """How many of the names it imports load a model (``is_model_module``)."""


def reached_modules(tree: Tree, backend: BackendConfig, env_py: str) -> dict[str, str]:
    """Every project module (dotted -> file) that running ``env_py`` imports by name
    (``env.py`` itself is ``""``); not those a package imports by listing its folder."""
    return {dotted: module.path for dotted, module in reach(tree, backend, env_py).items()}


def reach(tree: Tree, backend: BackendConfig, env_py: str) -> dict[str, Reached]:
    """``reached_modules``, each with its count of model imports, in the order found."""
    models = backend.packages.models
    key = f"{_VERSION}\0{backend.root}\0{env_py}\0{models}"
    standing = _Standing.load(key, tree, backend)
    if standing is None:
        remembered = _load(key)
        walk = _Walk(tree, backend, models)
        if remembered is None or not walk.follow(env_py, remembered, trusted=True):
            # afresh, still not reading again the files that kept their state
            walk = _Walk(tree, backend, models)
            walk.follow(env_py, remembered, trusted=False)
        if walk.changed or remembered is None:
            _save(key, walk, remembered.written if remembered is not None else None)
        standing = _Standing.of(key, backend, walk)
        if standing is None:  # a module read as staged: no state tells it still stands
            _last.clear()
            return {d: Reached(node.path, node.model_imports) for d, node in walk.found.items()}
        standing.save()
    _last[:] = [standing]
    return {d: Reached(path, count) for d, (path, _, count) in standing.modules.items()}


def after_model_import(tree: Tree, path: str, loads: list[str]) -> None:
    """This run has staged its model import in ``path``, a reached module, whose new line
    may load ``loads`` (``imported_modules``). The reach as it will stand once the run has
    written is remembered, so that the next generation finds it standing rather than
    reading the module again (and the new model's module for the first time)."""
    if _last and _last[0].root == tree.root:
        # only ever what the next run spares: it follows the reach when this is not there
        with contextlib.suppress(ScaffoldError, OSError, ValueError):
            _last[0].advanced(tree, path, loads)


@functools.lru_cache(maxsize=4096)  # asked of every name of every reached module
def is_model_module(target: str, models: str) -> bool:
    """Whether an import of ``target`` loads a model: a module of the configured models
    package, or a ``models`` module of the project's own packages."""
    if target.startswith(models + "."):
        return True
    parts = target.split(".")
    return parts[0] == models.split(".")[0] and any(
        part in _MODEL_MODULE_NAMES for part in parts[1:]
    )


# ------------------------------------------------------------------------- the standing


_STANDING = "model-reach-standing.txt"
_STANDING_FORM = "model reach standing 2"
"""The first line: a file written in another form is not read."""
_BY_BYTES = "="
"""In a row's size field: the next field is a digest of the file's bytes, not its time."""

_State = list[int] | str
"""A reached file's size and modification time (ns), or, for a file the run that
remembered it wrote, a digest of the bytes it wrote."""


@dataclass(slots=True)
class _Standing:
    """The reach as it stands, with what tells it still does: every reached module's file
    state, and the names that were not the project's modules (but those inside a module
    file, which Python never imports as modules). While every file keeps its state and no
    such name has become a module, the next run takes the reach as it is, without
    following anything; a generation that adds a model import leaves it standing
    (``advanced``), so that the next one does too."""

    key: str
    root: Path
    """The project's: a process that works in several projects advances only its own."""
    backend: BackendConfig
    modules: dict[str, tuple[str, _State, int]]
    """dotted -> (its file, the file's state, its count of model imports), in the order
    found."""
    names: list[str]

    @classmethod
    def load(cls, key: str, tree: Tree, backend: BackendConfig) -> _Standing | None:
        """The standing a run remembered, if it still stands."""
        text = read_memo(_STANDING)
        if text is None:
            return None
        lines = text.split("\n")
        try:
            if lines[0] != _STANDING_FORM or json.loads(lines[1]) != key:
                return None
            end = lines.index("", 2)
            modules: dict[str, tuple[str, _State, int]] = {}
            for line in lines[2:end]:
                dotted, path, size, time, imports = line.split("\t")
                state: _State = time if size == _BY_BYTES else [int(size), int(time)]
                modules[dotted] = (path, state, int(imports))
        except (ValueError, IndexError):
            return None
        names = lines[end + 1 :]
        for dotted, (path, state, count) in modules.items():
            if tree.is_staged(path):
                return None
            now = file_state(tree.os_path(path))
            if isinstance(state, str):
                # written by the run that remembered this: its bytes, read after the state
                # was taken (a file changed in between then has a newer state than this)
                if now is None or _digest_of_file(tree.os_path(path)) != state:
                    return None
                modules[dotted] = (path, now, count)  # remembered so from now on
            elif now != state:
                return None
        walk = _Walk(tree, backend, backend.packages.models)
        if not all(map(walk._still_absent, names)):
            return None
        return cls(key, tree.root, backend, modules, names)

    @classmethod
    def of(cls, key: str, backend: BackendConfig, walk: _Walk) -> _Standing | None:
        """What ``walk`` found, if every module was read from the disk (a staged one has
        no state to compare)."""
        modules: dict[str, tuple[str, _State, int]] = {}
        for dotted, node in walk.found.items():
            if node.state is None:
                return None
            modules[dotted] = (node.path, node.state, node.model_imports)
        names = sorted(name for name in walk.absent if not _inside_module_file(name, modules))
        return cls(key, walk.tree.root, backend, modules, names)

    def save(self) -> None:
        """Written as lines of tab-separated fields, not JSON: a generation writes it once
        and reads it once, and JSON took more instructions than all else it does here."""
        if any("\n" in path or "\t" in path for path, _, _ in self.modules.values()):
            return  # a file name no line can hold: not remembered (names are identifiers)
        rows = [
            f"{dotted}\t{path}\t{_BY_BYTES}\t{state}\t{count}"
            if isinstance(state, str)
            else f"{dotted}\t{path}\t{state[0]}\t{state[1]}\t{count}"
            for dotted, (path, state, count) in self.modules.items()
        ]
        text = "\n".join([_STANDING_FORM, json.dumps(self.key), *rows, "", *self.names])
        write_memo(_STANDING, text)

    def advanced(self, tree: Tree, path: str, loads: list[str]) -> None:
        """Remember the reach as it will stand once ``tree`` is written: ``path`` (a
        reached module) as staged, with its new line followed (the new model's module,
        staged too). What the run writes is remembered by its bytes. Not remembered when
        the run will not write (a dry run), nor when what the line brings might be found in
        another order than a fresh run's (a module with as many model imports as the one
        that has most): the next run then follows the reach."""
        if not tree.will_be_written:
            return
        owner = next((dotted for dotted, (p, _, _) in self.modules.items() if p == path), None)
        staged = tree.read(path)
        if owner is None or staged is None:
            return
        models = self.backend.packages.models
        modules = dict(self.modules)
        names = set(self.names)
        old_path, _, count = modules[owner]
        modules[owner] = (
            old_path,
            content_hash(staged),
            count + sum(is_model_module(n, models) for n in loads),
        )
        walk = _Walk(tree, self.backend, models)
        pending = [link for name in loads for link in walk._prefixes_of(name)]
        added: list[str] = []
        brought = set(pending)
        while pending:
            dotted = pending.pop(0)
            if dotted in modules or _inside_module_file(dotted, modules):
                continue
            if dotted in names and dotted not in brought:
                continue  # checked when this run began; not what it stages
            node = walk._module(dotted)
            if node is None:
                names.add(dotted)  # looked up now: not a module
                continue
            state: _State | None = node.state
            if state is None:  # staged by this run: its bytes
                data = tree.read(node.path)
                if data is None:
                    return
                state = content_hash(data)
            names.discard(dotted)
            modules[dotted] = (node.path, state, node.model_imports)
            added.append(dotted)
            pending += node.links
        top = max(count for _, _, count in modules.values())
        if any(modules[dotted][2] >= top for dotted in added):
            return  # a fresh run might find it first: its place in the order matters
        _Standing(self.key, self.root, self.backend, modules, sorted(names)).save()


def _digest_of_file(path: str) -> str | None:
    try:
        with open(path, "rb") as stream:
            return content_hash(stream.read())
    except OSError:
        return None


def _inside_module_file(name: str, modules: dict[str, tuple[str, _State, int]]) -> bool:
    """Whether ``name`` is below a reached module file (``x.py``): never a module."""
    above = modules.get(name.rpartition(".")[0]) if "." in name else None
    return above is not None and not above[0].endswith("__init__.py")


_last: list[_Standing] = []
"""The reach this process last found: what a model import it writes advances."""


# ------------------------------------------------------------------------------ the walk


@dataclass(slots=True)
class _Node:
    path: str
    state: list[int] | None
    """The file's size and modification time when it was read; None: read as staged."""
    model_imports: int
    links: list[str]
    """Every dotted name its imports load (``a``, ``a.b`` for ``import a.b``), first
    occurrence first: other reached modules and names that are not the project's."""


@dataclass(slots=True)
class _Remembered:
    nodes: dict[str, _Node]
    absent: set[str]
    written: _Written
    """What ``_FILE`` holds: what a run writes beside it is what differs."""


@dataclass(slots=True)
class _Written:
    mark: str
    """Written in ``_FILE`` and in what differs from it, which is read only beside the same."""
    nodes: dict[str, _Node]
    absent: set[str]


@dataclass
class _Walk:
    """One following of env.py's imports, from what the last run remembered or afresh."""

    tree: Tree
    backend: BackendConfig
    models: str
    found: dict[str, _Node] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)
    """Names followed that are not the project's modules."""
    changed: bool = False
    """Whether anything differs from what was remembered (then it is remembered again)."""
    _prefixes: dict[str, list[str]] = field(default_factory=dict)
    _folders: dict[str, bool] = field(default_factory=dict)
    """Dotted names -> whether their path is certainly not a folder."""
    _root: str = ""
    """The backend root as a prefix of project paths (``""`` or ``"backend/"``)."""

    def __post_init__(self) -> None:
        # normalised once, not once for each of a thousand names
        self._root = self.backend.path("_")[:-1]

    def follow(self, env_py: str, remembered: _Remembered | None, *, trusted: bool) -> bool:
        """Follow everything from ``env_py``, taking the modules whose files kept their
        state from ``remembered``. ``trusted``: the names remembered as not the project's
        are only checked to be still not files, and False is returned when what was
        remembered no longer holds (a name became a file, a module is gone); otherwise
        every name is looked up."""
        old = remembered.nodes if remembered is not None else {}
        was_absent = remembered.absent if remembered is not None and trusted else set()
        start = self._kept(old.get(""), env_py) or self._read(env_py, None)
        self.found[""] = start or _Node(env_py, None, 0, [])  # unreadable: reaches nothing
        queue = [""]
        while queue:
            for dotted in self.found[queue.pop()].links:
                if dotted in self.found or dotted in self.absent:
                    continue
                above = self.found.get(dotted.rpartition(".")[0]) if "." in dotted else None
                if above is not None and not above.path.endswith("__init__.py"):
                    # a name in a module file (a class, a constant: most names, in
                    # dispatch): no module, unlooked-up (Python imports no module below one)
                    self.absent.add(dotted)
                    if remembered is None or dotted not in remembered.absent:
                        self.changed = True
                    continue
                if dotted in was_absent:
                    if not self._still_absent(dotted):
                        return False
                    self.absent.add(dotted)
                    continue
                previous = old.get(dotted)
                node = self._kept(previous, previous.path) if previous is not None else None
                if node is None:
                    node = self._module(dotted)
                    if node is None and previous is not None and trusted:
                        return False
                if node is None:
                    self.absent.add(dotted)
                    self.changed = True
                    continue
                self.found[dotted] = node
                queue.append(dotted)
        if remembered is not None and (
            self.found.keys() != old.keys() or self.absent != remembered.absent
        ):
            self.changed = True
        return True

    def _kept(self, previous: _Node | None, path: str) -> _Node | None:
        """The remembered node, if its file has kept its state and this run does not
        stage it."""
        if previous is None or previous.state is None or self.tree.is_staged(path):
            return None
        if file_state(self.tree.os_path(path)) != previous.state:
            return None
        return previous

    def _module(self, dotted: str) -> _Node | None:
        """The project module ``dotted`` read now (``x.py``, then ``x/__init__.py``
        under the backend root); None when it is not the project's."""
        base = self._root + dotted.replace(".", "/")
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            # most names an import may load are not files (a class, a third-party module)
            if self.tree.may_exist(candidate):
                package = dotted if candidate.endswith("__init__.py") else dotted.rpartition(".")[0]
                node = self._read(candidate, package)
                if node is not None:
                    return node
        return None

    def _still_absent(self, dotted: str) -> bool:
        """Whether ``dotted`` is still not a module. Most such names are below a name
        whose path is not a folder (``sqlalchemy.orm.Mapped``, ``dispatch.tables.case.Case``
        below the module file ``case.py``): those are not looked up one by one."""
        parent = dotted.rpartition(".")[0]
        if parent and self._not_a_folder(parent):
            self._folders[dotted] = True  # nor is anything below it
            return True
        base = self._root + dotted.replace(".", "/")
        return not (self.tree.may_exist(f"{base}.py") or self.tree.may_exist(f"{base}/__init__.py"))

    def _not_a_folder(self, dotted: str) -> bool:
        known = self._folders.get(dotted)
        if known is None:
            path = self._root + dotted.replace(".", "/")
            known = self._folders[dotted] = not self.tree.may_be_folder(path)
        return known

    def _read(self, path: str, package: str | None) -> _Node | None:
        """The module file ``path`` read (its state taken first); None when it is not
        text scaffold reads."""
        self.changed = True
        staged = self.tree.is_staged(path)
        state = None if staged else file_state(self.tree.os_path(path))
        source = self.tree.text_or_none(path)
        if source is None:
            return None
        names = _imports_of(source, path, package)
        links: dict[str, None] = {}
        for name in names:
            links.update(dict.fromkeys(self._prefixes_of(name)))
        count = sum(1 for name in names if is_model_module(name, self.models))
        return _Node(path, state, count, list(links))

    def _prefixes_of(self, name: str) -> list[str]:
        """``a``, ``a.b``, ``a.b.c`` for ``a.b.c``: importing it runs ``a/__init__.py``
        and ``a/b/__init__.py`` first."""
        prefixes = self._prefixes.get(name)
        if prefixes is None:
            parts = name.split(".")
            prefixes = self._prefixes[name] = [
                ".".join(parts[:end]) for end in range(1, len(parts) + 1)
            ]
        return prefixes


# ------------------------------------------------------------------------ what is kept


def _load(key: str) -> _Remembered | None:
    """What the last run remembered under ``key``; None when nothing usable is (none yet,
    another configuration's, torn by a killed command, damaged by hand)."""
    text = read_memo(_FILE)
    if text is None:
        return None
    try:
        data = json.loads(text)
        if data["key"] != key:
            return None
        absent: list[str] = data["absent"]
        rows: list[list[Any]] = data["modules"]
        mark = data["mark"]
        names = [row[0] for row in rows]
        if not _all_text(names, (row[1] for row in rows), absent, (mark,)):
            return None
        # the links by number: into the modules from 0, into the other names from -1 down
        table = [*names, *reversed(absent)]
        lowest, highest = -len(absent), len(names) - 1
        nodes = {}
        for dotted, path, state, count, links in rows:
            if links and not (lowest <= min(links) and max(links) <= highest):
                return None
            # a state that is not a file's never matches one: the file is read again
            nodes[dotted] = _Node(path, state, int(count), list(map(table.__getitem__, links)))
        if "" not in nodes:
            return None
        written = _Written(mark, nodes, set(absent))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return _since(key, written)


def _since(key: str, written: _Written) -> _Remembered:
    """``written`` with what the runs since changed in it (a damaged or stale account of
    that is not used: the modules it would have told of are read again)."""
    nodes, absent = dict(written.nodes), set(written.absent)
    text = read_memo(_SINCE)
    if text is not None:
        try:
            data = json.loads(text)
            if data["key"] == key and data["mark"] == written.mark:
                # the links by name; a state that is not a file's never matches one
                changed = {
                    dotted: _Node(path, state, int(count), links)
                    for dotted, path, state, count, links in data["modules"]
                }
                paths = (node.path for node in changed.values())
                links = (node.links for node in changed.values())
                if _all_text(paths, itertools.chain.from_iterable(links), data["absent"]):
                    nodes.update(changed)
                    absent.update(data["absent"])
        except (ValueError, KeyError, TypeError):
            pass
    return _Remembered(nodes, absent, written)


def _all_text(*values: Iterable[object]) -> bool:
    """Whether every value is a str (one check over the whole memo, in C)."""
    return set(map(type, itertools.chain(*values))) <= {str}


def _save(key: str, walk: _Walk, written: _Written | None) -> None:
    """Remember ``walk``: what differs from the whole reach last written, beside it, when
    that is little and nothing is gone; else the whole reach, its links by number, into
    the modules (from 0) or the names that are not the project's (from -1 down)."""
    if written is not None and written.nodes.keys() <= walk.found.keys():
        # a module kept from the memo is the very object read from it
        rows = [
            [dotted, node.path, node.state, node.model_imports, node.links]
            for dotted, node in walk.found.items()
            if written.nodes.get(dotted) is not node
        ]
        added = walk.absent - written.absent
        if len(rows) + len(added) <= _SINCE_AT_MOST and written.absent <= walk.absent:
            since = {"key": key, "mark": written.mark, "modules": rows, "absent": sorted(added)}
            write_memo(_SINCE, json.dumps(since, separators=(",", ":")))
            return
    index = {dotted: number for number, dotted in enumerate(walk.found)}
    absent = sorted(walk.absent)
    index.update({dotted: -1 - number for number, dotted in enumerate(absent)})
    rows = [
        [dotted, node.path, node.state, node.model_imports, [index[link] for link in node.links]]
        for dotted, node in walk.found.items()
    ]
    whole = {"key": key, "mark": os.urandom(8).hex(), "modules": rows, "absent": absent}
    write_memo(_FILE, json.dumps(whole, separators=(",", ":")))


# ---------------------------------------------------------------- what a module imports


def _imports_of(source: str, path: str, package: str | None) -> list[str]:
    """Dotted names the module may load at import time (none when it does not parse)."""
    # imported when a module is read: a generation in an init project reads none
    from scaffold.edits.model_import_facts import facts_of

    facts = facts_of(source, path, package)
    if facts is None:
        return []
    return [name for row in facts.imports for name in row.modules]
