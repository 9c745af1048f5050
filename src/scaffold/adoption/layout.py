"""Where the backend is: its root (the folder its imports start from), its package and the
module that creates the FastAPI application.

The root is found from the application: the folder above the outermost package that holds
it (``backend/`` for ``backend/app/main.py``, ``src/`` in a src layout). Test files and
migrations are not the application's code and are left out of every detection.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scaffold.adoption.evidence import Evidence, Found, gist
from scaffold.adoption.index import Needle, ProjectIndex, SourceModule, module_name
from scaffold.errors import ProjectError

_NOT_CODE = {"tests", "test", "migrations", "alembic", "versions", "revisions"}


@dataclass(frozen=True)
class Application:
    module: SourceModule
    name: str
    node: ast.stmt


@dataclass
class Layout:
    """The backend's root and package, and the project index scoped to them."""

    index: ProjectIndex
    root: str
    """Project-relative folder imports start from (``""``: the project root itself)."""
    package: str
    """The top-level package holding the app; ``""`` for a flat layout (``main.py`` at the
    root, beside ``models.py``)."""
    app: Application
    root_found: Found[str]

    @property
    def app_module(self) -> str:
        return module_name(self.app.module.path, self.root) or self.package

    def relative(self, path: str) -> str:
        """A project-relative path as a backend-relative one."""
        return path[len(self.root) + 1 :] if self.root else path

    def code(self, *needles: Needle) -> Iterator[SourceModule]:
        """The package's own modules (not its tests, not its migrations) whose text holds
        one of ``needles``."""
        for module in self.index.files(self.package_dir, needles):
            if is_code(module.path):
                yield module

    @property
    def package_dir(self) -> str:
        return "/".join(part for part in (self.root, self.package) if part)

    def dotted(self, name: str) -> str:
        """``name`` inside the package (``app.scaffold_adapter``; top-level when flat)."""
        return f"{self.package}.{name}" if self.package else name

    @property
    def first_party(self) -> frozenset[str]:
        """The top-level names the project's own imports start with."""
        return frozenset(name.partition(".")[0] for name in self.index.by_name(self.root))

    def name_of(self, module: SourceModule) -> str:
        return module_name(module.path, self.root) or module.path


def per_resource_hint(modules: Iterable[str]) -> str:
    """What an undecided note adds about one package per feature: the ``{resource}``
    pattern that would follow the project (``per_resource_pattern``), or nothing."""
    pattern = per_resource_pattern(modules)
    if pattern is None:
        return ""
    return (
        f" (`{pattern}` would give each resource a package, as the project does: README, 'Layouts')"
    )


def per_resource_pattern(modules: Iterable[str]) -> str | None:
    """The ``backend.packages`` value of one package per resource that most of ``modules``
    follow (``dispatch.{resource}.views`` for ``dispatch.case.views``,
    ``dispatch.tag.views``, ...), or None when fewer than half, or fewer than two, do."""
    names = sorted(set(modules))
    shapes: Counter[tuple[str, str]] = Counter()
    for dotted in names:
        package, _, rest = dotted.rpartition(".")
        outer = package.rpartition(".")[0]
        if outer and rest:
            shapes[outer, rest] += 1
    if not shapes:
        return None
    (outer, module), count = shapes.most_common(1)[0]
    if count < 2 or count * 2 <= len(names):
        return None
    return f"{outer}.{{resource}}.{module}"


def is_code(path: str) -> bool:
    parts = path.split("/")
    name = parts[-1]
    return not (
        _NOT_CODE.intersection(parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def find_layout(index: ProjectIndex, backend_root: str | None) -> Layout:
    """The backend of the project; ``backend_root`` (the user's choice) narrows the search."""
    apps = [app for app in _applications(index) if is_code(app.module.path)]
    if backend_root is not None:
        prefix = backend_root.strip("/")
        prefix = "" if prefix == "." else prefix
        apps = [a for a in apps if not prefix or a.module.path.startswith(f"{prefix}/")]
    if not apps:
        where = f" under {backend_root}" if backend_root else ""
        raise ProjectError(
            f"no FastAPI application found{where} (a module-level `app = FastAPI(...)`)",
            hint="run scaffold adopt at the root of a FastAPI project, or pass --backend-root",
        )
    roots: dict[str, list[Application]] = {}
    for app in apps:
        roots.setdefault(_import_root(index, app.module.path), []).append(app)
    if backend_root is not None:
        chosen = backend_root.strip("/") if backend_root.strip("/") != "." else ""
        if chosen not in roots:
            raise ProjectError(
                f"--backend-root {backend_root}: the FastAPI application under it is imported "
                f"from {', '.join(sorted(r or '.' for r in roots))}",
                hint="pass the folder the backend's imports start from",
            )
        roots = {chosen: roots[chosen]}
    if len(roots) > 1:
        raise AmbiguousRootError(sorted(roots))
    [(root, candidates)] = roots.items()
    # several apps (a mounted sub-application, a frontend app): the one called `app` wins
    candidates.sort(key=lambda a: (a.name != "app", a.module.path.count("/"), a.module.path))
    app = candidates[0]
    dotted = module_name(app.module.path, root) or ""
    package = dotted.partition(".")[0] if "." in dotted else ""
    evidence = Evidence(app.module.path, app.node.lineno, gist(app.node))
    note = "the folder imports start from" + (" (src layout)" if root.endswith("src") else "")
    return Layout(index, root, package, app, Found(root or ".", evidence, note))


class AmbiguousRootError(ProjectError):
    """Several folders hold a FastAPI application: the user must say which is the backend."""

    def __init__(self, roots: list[str]) -> None:
        super().__init__(
            f"several backends hold a FastAPI application: {', '.join(r or '.' for r in roots)}",
            hint="pass --backend-root, for example "
            f"`scaffold adopt --backend-root {roots[0] or '.'}`",
        )
        self.roots = roots


def _applications(index: ProjectIndex) -> Iterator[Application]:
    for module in index.files("", (b"FastAPI",)):
        for node in module.top_level():
            value = getattr(node, "value", None)
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(value, ast.Call):
                func = value.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if called == "FastAPI":
                    for target in targets:
                        if isinstance(target, ast.Name):
                            yield Application(module, target.id, node)


def _import_root(index: ProjectIndex, path: str) -> str:
    """The folder above the outermost package holding ``path``."""
    folder = path.rpartition("/")[0]
    while folder and f"{folder}/__init__.py" in index.modules:
        folder = folder.rpartition("/")[0]
    return folder
