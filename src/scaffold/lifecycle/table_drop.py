"""The Alembic history when ``scaffold destroy`` removes a resource whose table later
revisions build on.

A resource's create-table revision can only be deleted while it is the head: once another
revision chains on it (the next resource's table, a ``scaffold migration`` on it), deleting
it leaves a ``down_revision`` that names nothing, and every Alembic command fails. Then the
revision stays, and a new one, chained on the head, drops the table; its downgrade creates
the table again with the columns it had at the head (the resource's fields, with what
``scaffold migration`` added and dropped since), so that the revisions below it downgrade
as before.

The drop revision is the project's own ``backend/migration`` blueprint rendered for those
columns, with its upgrade and downgrade swapped: the table, its index and its tenant
policy are the ones the project's blueprint creates, whatever the project changed in it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from scaffold.blueprint.render import render_blueprint
from scaffold.engine.manifest import GenerationRecord
from scaffold.engine.transaction import Transaction
from scaffold.errors import BlueprintError
from scaffold.generations.alembic_history import (
    Revision,
    current_head,
    new_revision_id,
    read_revisions,
)
from scaffold.generations.project_answers import project_answers
from scaffold.generations.resource_columns import columns_at_head
from scaffold.inputs import clock

MIGRATION_BLUEPRINT = "backend/migration"


@dataclass(frozen=True)
class KeptHistory:
    """The create-table revision destroy keeps, and the revision it adds to drop the table."""

    kept: str
    drop: str


def keep_history(
    txn: Transaction, record: GenerationRecord, resource: dict[str, Any], deleted: list[str]
) -> KeptHistory | None:
    """When a revision chains on ``record``'s create-table revision: take that revision out
    of ``deleted`` and stage the revision that drops the table; None when deleting is safe."""
    migration = record.answers.get("migration")
    if not isinstance(migration, dict) or "revision" not in migration:
        return None
    versions = txn.config.backend.path(txn.config.backend.migrations)
    revisions = read_revisions(txn.tree, versions)
    created = [r for r in revisions if r.revision == migration["revision"]]
    if len(created) != 1 or created[0].path not in deleted:
        return None  # gone already, or another generation (the endpoint of a feature) owns it
    create = created[0]
    if not any(create.revision in r.down_revisions for r in revisions):
        return None  # the head: deleting it leaves the history whole
    deleted.remove(create.path)
    drop = _stage_drop_revision(txn, record, resource, create, revisions, versions)
    return KeptHistory(kept=create.path, drop=drop)


def _stage_drop_revision(
    txn: Transaction,
    record: GenerationRecord,
    resource: dict[str, Any],
    create: Revision,
    revisions: list[Revision],
    versions: str,
) -> str:
    head = current_head(txn.tree, versions)
    answers = {
        "project": project_answers(txn.tree, txn.config),
        "resource": resource,
        "fields": [field.to_answers() for field in columns_at_head(txn.tree, record, revisions)],
        "migration": {
            "revision": new_revision_id(
                txn.tree, versions, head, f"destroy {record.generator} {record.name}"
            ),
            "down_revision": head,
            "create_date": clock.now().isoformat(sep=" "),
        },
    }
    rendered = render_blueprint(txn.blueprint(MIGRATION_BLUEPRINT), answers, answers_file=None)
    table = resource["plural_snake"]
    (path, content), *_ = [
        (path, content) for path, content in rendered.items() if path.endswith(".py")
    ]
    drop_path = path.replace(f"_create_{table}_table.py", f"_drop_{table}_table.py")
    source = _swapped(content.decode(), path=create.path)
    source = source.replace(
        f'"""Create the {table} table.',
        f'"""Drop the {table} table (scaffold destroy {record.generator} {record.name}).',
        1,
    )
    reason = f"drops {table}: the history keeps its creation"
    txn.tree.write(drop_path, source, reason=reason, generated=False)
    return drop_path


def _swapped(source: str, *, path: str) -> str:
    """``source`` with the bodies of ``upgrade`` and ``downgrade`` exchanged."""
    functions = {
        node.name: node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef) and node.name in ("upgrade", "downgrade")
    }
    if set(functions) != {"upgrade", "downgrade"}:
        raise BlueprintError(
            f"the {MIGRATION_BLUEPRINT} blueprint must render upgrade() and downgrade() for "
            "destroy to write the revision that drops the table",
            path=path,
        )
    up, down = functions["upgrade"], functions["downgrade"]
    lines = source.splitlines(keepends=True)

    def renamed(node: ast.FunctionDef, name: str) -> list[str]:
        body = lines[node.lineno - 1 : node.end_lineno]
        return [body[0].replace(f"def {node.name}(", f"def {name}(", 1), *body[1:]]

    first, second = sorted((up, down), key=lambda node: node.lineno)
    assert first.end_lineno is not None and second.end_lineno is not None
    other = {"upgrade": "downgrade", "downgrade": "upgrade"}
    return "".join(
        [
            *lines[: first.lineno - 1],
            *renamed(second, first.name),
            *lines[first.end_lineno : second.lineno - 1],
            *renamed(first, other[first.name]),
            *lines[second.end_lineno :],
        ]
    )
