"""A resource's columns as its table has them now: the fields it was generated with, changed
by every ``scaffold migration`` on its model, in the order of the Alembic history.

Whatever renders the table's columns after a migration (the revision destroy adds to drop
the table, the sample rows of a database test) reads them here, not from the generation's
own answers, which keep the fields as first given.
"""

from __future__ import annotations

from scaffold.engine.manifest import MANIFEST_DIR, GenerationRecord, load_record
from scaffold.engine.tree import Tree
from scaffold.generations.alembic_history import Revision
from scaffold.inputs.fields import Field


def columns_at_head(tree: Tree, record: GenerationRecord, revisions: list[Revision]) -> list[Field]:
    """The resource's fields, changed by every ``scaffold migration`` on its model, in the
    order of the history."""
    fields = [_field(item) for item in record.answers.get("fields", [])]
    return columns_after(fields, migrations_in_order(tree, record.name, revisions))


def columns_after(fields: list[Field], migrations: list[GenerationRecord]) -> list[Field]:
    """``fields`` changed by ``migrations``, in their order."""
    columns = {field.name: field for field in fields}
    for change in migrations:
        for name in change.answers.get("drop", []):
            columns.pop(name, None)
        for item in change.answers.get("add", []):
            columns[item["name"]] = _field(item)
    return list(columns.values())


def _field(item: dict[str, object]) -> Field:
    return Field(str(item["name"]), str(item["type"]), bool(item.get("optional")))


def migrations_in_order(
    tree: Tree, model: str, revisions: list[Revision]
) -> list[GenerationRecord]:
    """The ``scaffold migration`` records on ``model``, in the order of the history."""
    order = history_order(revisions)
    return sorted(
        migrations_of(tree, model),
        key=lambda change: order.get(str(change.answers.get("revision")), len(order)),
    )


def migrations_of(tree: Tree, model: str) -> list[GenerationRecord]:
    folder = tree.resolve(f"{MANIFEST_DIR}/generations/migration")
    records = [load_record(tree, "migration", path.stem) for path in folder.glob("*.json")]
    return [r for r in records if r is not None and r.answers.get("model") == model]


def history_order(revisions: list[Revision]) -> dict[str, int]:
    """Revision id -> its position from the base (parents before children)."""
    parents = {r.revision: r.down_revisions for r in revisions}
    order: dict[str, int] = {}

    def place(revision: str) -> None:
        # iterative: a long history must not reach Python's recursion limit
        pending = [revision]
        while pending:
            current = pending[-1]
            waiting = [p for p in parents.get(current, ()) if p not in order and p in parents]
            if waiting:
                pending.extend(waiting)
                continue
            pending.pop()
            order.setdefault(current, len(order))

    for revision in parents:
        place(revision)
    return order
