"""The ``project`` answer the backend blueprints render with, in the project at hand.

The configuration gives most of it (``ProjectConfig.project_answers``); the project's own
ruff gives the width its Python is laid out at (``blueprint_line_length``). Generations,
migrations, added tests and drop-table revisions take it from here, so that all of them
lay code out alike.
"""

from __future__ import annotations

from typing import Any

from scaffold.edits.cst_toolkit.ruff_config import blueprint_line_length
from scaffold.engine.tree import Tree
from scaffold.spec.config import ProjectConfig

__all__ = ["project_answers"]


def project_answers(tree: Tree, config: ProjectConfig) -> dict[str, Any]:
    """``config``'s project answer, at the line length the project as ``tree`` holds it
    sets."""
    return config.project_answers(line_length=blueprint_line_length(tree, config.backend))
