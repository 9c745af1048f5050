"""Where ``Depends()`` names a function: how a project's own dependencies are used.

Detections rank their candidates (two functions yield a Session: the one routes depend on
wins) by these counts, and quote the ``Annotated[T, Depends(f)]`` alias a project uses.
Counted per function on demand, reading only the files whose text names it in a
``Depends(``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from scaffold.adoption.layout import Layout


@dataclass
class DependencyUses:
    layout: Layout
    _counts: dict[tuple[str, str], int] = field(default_factory=dict)
    _aliases: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def count(self, path: str, name: str) -> int:
        """How many ``Depends(name)`` calls resolve to the function ``name`` of ``path``."""
        key = (path, name)
        if key not in self._counts:
            self._scan(path, name)
        return self._counts[key]

    def alias(self, path: str, name: str) -> str | None:
        """``X = Annotated[T, Depends(name)]``, the first alias of that function."""
        key = (path, name)
        if key not in self._counts:
            self._scan(path, name)
        return self._aliases.get(key)

    def _scan(self, path: str, name: str) -> None:
        index, root = self.layout.index, self.layout.root
        needle = re.compile(rb"Depends\(\s*" + re.escape(name.encode()) + rb"\b")
        count, alias = 0, None
        for module in self.layout.code(needle):
            for node in ast.walk(module.tree):
                if _depends_on(node, name):
                    owner, local = index.resolve(module, name, root)
                    if owner is not None and owner.path == path and local == name:
                        count += 1
            for statement in module.tree.body:
                if (
                    alias is None
                    and isinstance(statement, ast.Assign)
                    and isinstance(statement.targets[0], ast.Name)
                    and isinstance(statement.value, ast.Subscript)
                    and any(_depends_on(n, name) for n in ast.walk(statement.value))
                ):
                    alias = f"{statement.targets[0].id} = {ast.unparse(statement.value)}"
        self._counts[(path, name)] = count
        self._aliases[(path, name)] = alias


def _depends_on(node: ast.AST, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "Depends"
        and bool(node.args)
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == name
    )
