"""Add and drop columns in an existing model module, and the matching fields in its schemas.

``scaffold migration --model leads --add "score:int?" --drop notes`` changes three kinds of
files the project owns: the SQLAlchemy model (``app/models/lead.py``), the pydantic schemas
(``app/schemas/lead.py``) and the resource's generated tests (their payload dicts). Each
function here takes the source and returns the new source, and returns the same string
when there is nothing to change, so a second run is a no-op.

Analysis runs on the standard library's ``ast``; only top-level statements and the bodies
of the named classes are edited, with libcst, so comments and formatting elsewhere are
kept. New lines are written exactly as the blueprints render them (``backend/model``,
``backend/schema``), which keeps the files ruff- and ruff-format-clean: imports merged
into the existing from-import (rewrapped as ruff format would) or inserted in ruff's isort
order, and imports a dropped column leaves unused removed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libcst as cst

from scaffold.edits.cst_toolkit.imports import LINE_LENGTH, ensure_imports, remove_unused_imports
from scaffold.edits.cst_toolkit.source import parse_cst, parse_python
from scaffold.edits.cst_toolkit.splice import Statement, drop_lines
from scaffold.errors import ProjectError
from scaffold.inputs.field_types import FIELD_TYPES
from scaffold.inputs.fields import Field

__all__ = [
    "ModelColumn",
    "add_model_columns",
    "add_schema_fields",
    "drop_dict_entries",
    "drop_model_columns",
    "drop_schema_fields",
    "model_columns",
]

# SQLAlchemy's type for a Python annotation, for ``mapped_column()`` without a type
# (the annotation decides, as SQLAlchemy's default type map does).
_TYPE_OF_ANNOTATION = {
    "str": "String()",
    "int": "Integer()",
    "float": "Float()",
    "bool": "Boolean()",
    "Decimal": "Numeric()",
    "datetime": "DateTime()",
    "date": "Date()",
    "UUID": "Uuid()",
}
# mapped_column() arguments that change the schema in a way a re-added column would lose
_UNSUPPORTED_ARGUMENTS = ("unique", "primary_key", "server_default", "autoincrement")

# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class ModelColumn:
    """A column declared in the model class, as a migration needs it."""

    name: str
    line: int
    nullable: bool
    sqlalchemy: str | None
    """The type as ``sa.<sqlalchemy>`` spells it (``String(255)``); None if unknown."""
    index: bool = False
    problem: str = ""
    """Why scaffold cannot re-create the column in a downgrade ("" when it can)."""


def model_columns(source: str, *, path: str, class_name: str) -> dict[str, ModelColumn]:
    """The columns of ``class_name`` declared as ``name: Mapped[...] = ...`` (or assigned)."""
    tree = _parse(source, path)
    klass = _ast_class(tree, class_name, path)
    sqlalchemy_names, sqlalchemy_aliases = _sqlalchemy_imports(tree)
    columns: dict[str, ModelColumn] = {}
    for statement in klass.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name = statement.target.id
            if _is_mapped(statement.annotation):
                columns[name] = _read_column(
                    name, statement, source, sqlalchemy_names, sqlalchemy_aliases
                )
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name) and not target.id.startswith("__"):
                    columns[target.id] = ModelColumn(
                        target.id,
                        statement.lineno,
                        nullable=True,
                        sqlalchemy=None,
                        problem="it is not declared as `name: Mapped[...] = mapped_column(...)`",
                    )
    return columns


def _read_column(
    name: str,
    statement: ast.AnnAssign,
    source: str,
    sqlalchemy_names: set[str],
    sqlalchemy_aliases: set[str],
) -> ModelColumn:
    inner = statement.annotation
    assert isinstance(inner, ast.Subscript)
    annotation = inner.slice
    nullable = _is_optional(annotation)
    value = statement.value
    if not (isinstance(value, ast.Call) and _call_name(value) == "mapped_column"):
        return ModelColumn(
            name, statement.lineno, nullable, None, problem="its value is not mapped_column(...)"
        )
    problem = ""
    index = False
    for keyword in value.keywords:
        constant = keyword.value.value if isinstance(keyword.value, ast.Constant) else None
        if keyword.arg == "nullable" and isinstance(constant, bool):
            nullable = constant
        elif keyword.arg == "index":
            index = constant is True
        elif keyword.arg in _UNSUPPORTED_ARGUMENTS or keyword.arg is None:
            problem = f"it has {keyword.arg or '**'}=..., which a re-created column would lose"
    sqlalchemy: str | None = None
    positional = [arg for arg in value.args if not isinstance(arg, ast.Starred)]
    if positional:
        first = positional[0]
        text = ast.get_source_segment(source, first) or ""
        root = _root_name(first)
        if isinstance(first, ast.Call) and _call_name(first) == "ForeignKey":
            problem = "it has a foreign key, which a re-created column would lose"
        elif root in sqlalchemy_names:
            sqlalchemy = " ".join(text.split())
        elif root in sqlalchemy_aliases:
            sqlalchemy = " ".join(text.split()).split(".", 1)[1]
        else:
            problem = f"its type `{text}` is not imported from sqlalchemy"
        if len(positional) > 1:
            problem = (
                problem or "it has constraints (ForeignKey, ...) a re-created column would lose"
            )
    else:
        base = _annotation_base(annotation)
        sqlalchemy = _TYPE_OF_ANNOTATION.get(base or "")
        if sqlalchemy is None:
            problem = f"its type cannot be told from the annotation `{ast.unparse(annotation)}`"
    return ModelColumn(name, statement.lineno, nullable, sqlalchemy, index, problem)


def _is_mapped(annotation: ast.expr) -> bool:
    return isinstance(annotation, ast.Subscript) and _root_name(annotation.value) in (
        "Mapped",
        "orm",
        "sqlalchemy",
    )


def _is_optional(annotation: ast.expr) -> bool:
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return (
            _is_none(annotation.left)
            or _is_none(annotation.right)
            or (_is_optional(annotation.left) or _is_optional(annotation.right))
        )
    if isinstance(annotation, ast.Subscript):
        return _root_name(annotation.value) == "Optional" or (
            isinstance(annotation.value, ast.Attribute) and annotation.value.attr == "Optional"
        )
    return False


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _annotation_base(annotation: ast.expr) -> str | None:
    if isinstance(annotation, ast.BinOp):
        for side in (annotation.left, annotation.right):
            if not _is_none(side):
                return _annotation_base(side)
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.Attribute):
        return annotation.attr
    return None


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _sqlalchemy_imports(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Names imported from ``sqlalchemy`` itself, and the names ``sqlalchemy`` is bound to."""
    names: set[str] = set()
    aliases: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == "sqlalchemy":
            names |= {alias.asname or alias.name for alias in statement.names}
        elif isinstance(statement, ast.Import):
            aliases |= {a.asname or a.name for a in statement.names if a.name == "sqlalchemy"}
    return names, aliases


def _ast_class(tree: ast.Module, name: str, path: str) -> ast.ClassDef:
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == name:
            return statement
    classes = [s.name for s in tree.body if isinstance(s, ast.ClassDef)]
    raise ProjectError(
        f"no class `{name}` at the top level of the file",
        path=path,
        hint=f"classes found: {', '.join(classes) or 'none'}",
    )


# --------------------------------------------------------------------------- model


def model_column_code(field: Field, line_length: int = LINE_LENGTH) -> str:
    """The column as blueprints/backend/model renders it (indented for the class body), at
    the project's ``line_length``."""
    spelled = FIELD_TYPES[field.type]
    annotation = spelled.python + (" | None" if field.optional else "")
    target = f"    {field.name}: Mapped[{annotation}] = "
    value = f"mapped_column({spelled.sqlalchemy})"
    if len(target + value) <= line_length:
        return target + value
    if len(target + "mapped_column(") <= line_length:
        return f"{target}mapped_column(\n        {spelled.sqlalchemy}\n    )"
    if len(target + "(") <= line_length:
        return f"{target}(\n        {value}\n    )"
    return f"    {field.name}: Mapped[\n        {annotation}\n    ] = {value}"


def add_model_columns(
    source: str,
    *,
    path: str,
    class_name: str,
    fields: Sequence[Field],
    line_length: int = LINE_LENGTH,
) -> str:
    """``source`` with a column per field the class does not declare yet, before
    ``created_at`` (else after the last column), and the imports they need; laid out at
    the project's ``line_length``."""
    present = model_columns(source, path=path, class_name=class_name)
    missing = [field for field in fields if field.name not in present]
    if not missing:
        return source
    module = parse_cst(source, path, doing="edit the model")
    body = list(module.body)
    index = _cst_class_index(body, class_name)
    klass = body[index]
    assert isinstance(klass, cst.ClassDef)
    lines = list(_class_lines(klass))
    position = _insert_position(lines, before="created_at")
    code = "\n".join(model_column_code(f, line_length) for f in missing)
    new = _class_statements(code, module)
    lines[position:position] = new
    body[index] = _with_class_lines(klass, lines)
    imports = [("sqlalchemy", FIELD_TYPES[f.type].sqlalchemy_import) for f in missing]
    imports += [_split_import(FIELD_TYPES[f.type].python_import) for f in missing]
    body = ensure_imports(body, [i for i in imports if i[1]], module)
    return module.with_changes(body=body).code


def drop_model_columns(source: str, *, path: str, class_name: str, names: Iterable[str]) -> str:
    """``source`` without the columns ``names`` (those still there) and the imports only
    they used."""
    return _drop_class_fields(source, path, {class_name: set(names)})


# --------------------------------------------------------------------------- schemas


def schema_attribute_code(field: Field, *, nullable: bool, line_length: int = LINE_LENGTH) -> str:
    """A field of a Create/Update schema as blueprints/backend/schema renders it, at the
    project's ``line_length``."""
    spelled = FIELD_TYPES[field.type]
    annotation = spelled.python + (" | None" if nullable else "")
    constraints = spelled.pydantic_constraints.split(", ") if spelled.pydantic_constraints else []
    line = f"    {field.name}: {annotation}" + (" = None" if nullable else "")
    if constraints:
        arguments = (["default=None"] if nullable else []) + constraints
        return _call(4, f"{field.name}: {annotation} = Field", arguments, line_length)
    if len(line) <= line_length:
        return line
    return f"    {field.name}: {annotation} = (\n        None\n    )"


def _call(indent: int, callee: str, arguments: Sequence[str], line_length: int) -> str:
    """``fmt.call`` of blueprints/_shared/python.jinja."""
    pad = " " * indent
    joined = ", ".join(arguments)
    if indent + len(callee + joined) + 2 <= line_length:
        return f"{pad}{callee}({joined})"
    if indent + 4 + len(joined) <= line_length:
        return f"{pad}{callee}(\n{pad}    {joined}\n{pad})"
    listed = "".join(f"\n{pad}    {argument}," for argument in arguments)
    return f"{pad}{callee}({listed}\n{pad})"


def add_schema_fields(
    source: str,
    *,
    path: str,
    pascal: str,
    fields: Sequence[Field],
    line_length: int = LINE_LENGTH,
) -> str:
    """``source`` with each optional field in ``<pascal>Create``, ``Update`` and ``Read``
    (the classes the file has; a field a class already declares is left alone)."""
    if any(not field.optional for field in fields):
        raise ValueError("only optional fields are added to existing schemas")
    tree = _parse(source, path)
    classes = {s.name: s for s in tree.body if isinstance(s, ast.ClassDef)}
    plan: dict[str, list[Field]] = {}
    for suffix in ("Create", "Update", "Read"):
        klass = classes.get(pascal + suffix)
        if klass is None:
            continue
        declared = {
            s.target.id
            for s in klass.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
        }
        todo = [field for field in fields if field.name not in declared]
        if todo:
            plan[pascal + suffix] = todo
    if not plan:
        return source
    module = parse_cst(source, path, doing="edit the model")
    body = list(module.body)
    needs_field = False
    for name, todo in plan.items():
        index = _cst_class_index(body, name)
        node = body[index]
        assert isinstance(node, cst.ClassDef)
        lines = list(_class_lines(node))
        if name.endswith("Read"):
            code = "\n".join(f"    {f.name}: {FIELD_TYPES[f.type].python} | None" for f in todo)
            position = _insert_position(lines, before="created_at")
        else:
            code = "\n".join(
                schema_attribute_code(f, nullable=True, line_length=line_length) for f in todo
            )
            needs_field |= any(FIELD_TYPES[f.type].pydantic_constraints for f in todo)
            position = _insert_position(lines, before=None)
        new = _class_statements(code, module)
        if position > 0 and _field_name(lines[position - 1]) is None:
            # the first field after `model_config = ...` gets a blank line, as rendered
            new[0] = new[0].with_changes(leading_lines=[cst.EmptyLine(indent=False)])
        lines[position:position] = new
        body[index] = _with_class_lines(node, lines)
    imports = [_split_import(FIELD_TYPES[f.type].python_import) for f in fields]
    if needs_field:
        imports.append(("pydantic", "Field"))
    body = ensure_imports(body, [i for i in imports if i[1]], module)
    return module.with_changes(body=body).code


def drop_schema_fields(source: str, *, path: str, pascal: str, names: Iterable[str]) -> str:
    """``source`` without the fields ``names`` in ``<pascal>Create``, ``Update``, ``Read``."""
    tree = _parse(source, path)
    present = {s.name for s in tree.body if isinstance(s, ast.ClassDef)}
    wanted = {pascal + suffix for suffix in ("Create", "Update", "Read")} & present
    return _drop_class_fields(source, path, {name: set(names) for name in wanted})


# --------------------------------------------------------------------------- tests


class _DropEntries(cst.CSTTransformer):
    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names

    def leave_Dict(self, original_node: cst.Dict, updated_node: cst.Dict) -> cst.Dict:
        elements = list(updated_node.elements)
        kept = [
            element
            for element in elements
            if not (
                isinstance(element, cst.DictElement)
                and isinstance(element.key, cst.SimpleString)
                and element.key.evaluated_value in self.names
            )
        ]
        if len(kept) == len(elements):
            return updated_node
        if not kept:
            return updated_node.with_changes(
                elements=[], lbrace=cst.LeftCurlyBrace(), rbrace=cst.RightCurlyBrace()
            )
        if kept[-1] is not elements[-1]:
            # the new last entry closes the display as the removed last one did
            kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
        return updated_node.with_changes(elements=kept)


def drop_dict_entries(source: str, *, path: str, names: Iterable[str]) -> str:
    """``source`` without the ``"name": value`` entries of its dict displays (the payloads
    generated tests send), for each of ``names``."""
    wanted = set(names)
    tree = _parse(source, path)
    if not any(
        isinstance(node, ast.Dict)
        and any(isinstance(k, ast.Constant) and k.value in wanted for k in node.keys)
        for node in ast.walk(tree)
    ):
        return source
    return parse_cst(source, path, doing="edit the model").visit(_DropEntries(wanted)).code


# --------------------------------------------------------------------------- class bodies


def _cst_class_index(body: Sequence[Statement], name: str) -> int:
    for index, statement in enumerate(body):
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            return index
    raise AssertionError(f"class {name} not found")  # checked with ast before


def _class_lines(klass: cst.ClassDef) -> Sequence[cst.BaseStatement]:
    if not isinstance(klass.body, cst.IndentedBlock):
        raise ProjectError(f"class {klass.name.value} is written on one line")
    return klass.body.body


def _statements(lines: Sequence[cst.BaseStatement]) -> list[Statement]:
    """The lines of a block typed as what they are (libcst has no other statement kind)."""
    return [line for line in lines if isinstance(line, Statement)]


def _with_class_lines(klass: cst.ClassDef, lines: list[cst.BaseStatement]) -> cst.ClassDef:
    assert isinstance(klass.body, cst.IndentedBlock)
    return klass.with_changes(body=klass.body.with_changes(body=lines))


def _field_name(statement: cst.BaseStatement) -> str | None:
    """The name an annotated assignment line declares (``name: T = ...``), else None."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            return small.target.value
    return None


def _insert_position(lines: Sequence[cst.BaseStatement], *, before: str | None) -> int:
    """Before the field ``before`` if the class has it, else after its last field (or
    after the docstring and plain assignments, for a class without fields)."""
    names = [_field_name(line) for line in lines]
    if before is not None and before in names:
        return names.index(before)
    declared = [index for index, name in enumerate(names) if name is not None]
    if declared:
        return declared[-1] + 1
    position = 0
    for index, line in enumerate(lines):
        if isinstance(line, cst.SimpleStatementLine):
            position = index + 1
        else:
            break
    return position


def _class_statements(code: str, module: cst.Module) -> list[cst.BaseStatement]:
    """Statements of a class body, parsed where they will live (so indentation is right)."""
    wrapper = cst.parse_module(
        "class _Scaffold:\n" + code + "\n", config=module.config_for_parsing
    ).body[0]
    assert isinstance(wrapper, cst.ClassDef) and isinstance(wrapper.body, cst.IndentedBlock)
    return list(wrapper.body.body)


def _drop_class_fields(source: str, path: str, plan: dict[str, set[str]]) -> str:
    tree = _parse(source, path)
    removed_nodes: list[ast.stmt] = []
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name in plan:
            for inner in statement.body:
                if (
                    isinstance(inner, ast.AnnAssign)
                    and isinstance(inner.target, ast.Name)
                    and inner.target.id in plan[statement.name]
                ):
                    removed_nodes.append(inner)
    if not removed_nodes:
        return source
    maybe_unused = {
        node.id
        for removed in removed_nodes
        for node in ast.walk(removed)
        if isinstance(node, ast.Name)
    }
    module = parse_cst(source, path, doing="edit the model")
    body = list(module.body)
    for class_name, names in plan.items():
        index = _cst_class_index(body, class_name)
        klass = body[index]
        assert isinstance(klass, cst.ClassDef)
        lines = list(_class_lines(klass))
        drop = {i for i, line in enumerate(lines) if _field_name(line) in names}
        if drop:
            kept: list[cst.BaseStatement] = list(drop_lines(_statements(lines), drop))
            if not kept:
                kept = [cst.SimpleStatementLine([cst.Pass()])]
            body[index] = _with_class_lines(klass, kept)
    body = remove_unused_imports(body, maybe_unused, module)
    return module.with_changes(body=body).code


# --------------------------------------------------------------------------- imports


def _split_import(spec: str) -> tuple[str, str]:
    module, _, name = spec.partition(":")
    return module, name


def _parse(source: str, path: str) -> ast.Module:
    return parse_python(source, path, doing="edit the model")
