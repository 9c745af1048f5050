"""Field specs: ``"name:str budget:decimal? starts_at:datetime"`` parsed into validated fields.

Each field becomes a column of the model, an attribute of the pydantic schemas and a property
of the TypeScript types, so a name is refused here if it would break any of them.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import asdict, dataclass

from scaffold.errors import InvalidInputError
from scaffold.inputs.field_types import FIELD_TYPES
from scaffold.inputs.naming import split_words
from scaffold.inputs.typed_specs import split_spec

__all__ = [
    "MAX_FIELD_NAME_LENGTH",
    "TYPE_ALIASES",
    "Field",
    "parse_fields",
    "parse_resource_fields",
]

MAX_FIELD_NAME_LENGTH = 40  # longer names no longer fit the generated code's 88 columns
"""PostgreSQL truncates longer identifiers, so the column would not match its model."""

TYPE_ALIASES = {"string": "str", "integer": "int", "boolean": "bool", "timestamp": "datetime"}
"""Other spellings accepted for a type (type names are case-insensitive)."""

# Types people reach for that are not in FIELD_TYPES, and what to use instead. "number" is
# refused rather than aliased: it could mean int, float or decimal, and the wrong choice loses
# data (money in a float) silently.
_TYPE_ADVICE = {
    "number": "int, float or decimal (for money: decimal)",
    "numeric": "decimal",
    "money": "decimal",
    "currency": "decimal",
    "double": "float",
    "long": "int",
    "bigint": "int",
    "char": "str",
    "varchar": "str",
    "dict": "json",
    "object": "json",
    "jsonb": "json",
    "guid": "uuid",
    "time": "datetime",
}

# Columns every generated model already has.
_BUILT_IN_COLUMNS = frozenset({"id", "tenant_id", "created_at", "updated_at"})

# Attributes of pydantic's BaseModel (v2, with the v1 methods it still carries): a field of the
# same name shadows them (a warning, an error in generated projects that turn warnings into
# errors) or is refused outright (model_config). pydantic also reserves the model_ prefix.
_PYDANTIC_RESERVED = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj",
        "parse_raw", "schema", "schema_json", "update_forward_refs", "validate",
    }
)  # fmt: skip

# Names SQLAlchemy's declarative base gives a meaning to, and names the generated model's class
# body uses after the field columns (created_at's server_default=func.now()): a column of the
# same name would rebind them inside the class.
_SQLALCHEMY_RESERVED = frozenset(
    {
        "__abstract__", "__mapper__", "__mapper_args__", "__table__", "__table_args__",
        "__tablename__", "_sa_registry", "func", "mapped_column", "metadata", "registry",
        "type_annotation_map",
    }
)  # fmt: skip

# Names of the Python types the field annotations use (str, int, date, datetime, dict, ...):
# a field named like one rebinds it in the class body, and every later annotation that uses
# the type then evaluates to the field's default ("date: date | None = None" breaks pydantic).
_TYPE_NAMES = frozenset(
    name
    for field_type in FIELD_TYPES.values()
    for text in (field_type.python, field_type.python_import.rpartition(":")[2])
    for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)
)

# Names Python code gives a meaning to beside its keywords. ``self``: the generated create
# builds the model with ``Model(**data)``, and SQLAlchemy's constructor takes ``self`` first
# (a field named so is a TypeError at the first request); ``cls`` likewise for classmethods.
# The others are read in the generated class bodies after the fields are declared (the
# schemas' ``@classmethod @field_validator(...)`` and ``value: object``), so a field of that
# name would rebind them there.
_PYTHON_NAMES = frozenset(
    {"self", "cls", "classmethod", "staticmethod", "property", "object", "super", "field_validator"}
)

# Reserved words of JavaScript and TypeScript (ECMAScript's, strict mode's and TypeScript's
# own) that a snake_case name can spell: the frontend's types, zod schemas and forms carry
# every field, and a reserved word cannot be a variable there (``const { new } = row``).
# ``constructor`` is a member of every JavaScript object: ``row.constructor`` would read
# Object's when the field is missing instead of ``undefined``.
_JS_RESERVED = frozenset(
    {
        "arguments", "break", "case", "catch", "class", "const", "constructor", "continue",
        "debugger", "declare", "default", "delete", "do", "else", "enum", "eval", "export",
        "extends", "false", "finally", "for", "function", "if", "implements", "import", "in",
        "instanceof", "interface", "let", "new", "null", "package", "private", "protected",
        "public", "return", "static", "super", "switch", "this", "throw", "true", "try",
        "typeof", "undefined", "var", "void", "while", "with", "yield",
    }
)  # fmt: skip

_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@dataclass(frozen=True)
class Field:
    """One field of a resource: a snake_case name, a FIELD_TYPES key, and whether it may be null."""

    name: str
    type: str
    optional: bool

    def to_answers(self) -> dict[str, object]:
        """The field as blueprints see it: name, type, optional and every layer's spelling."""
        return {
            "name": self.name,
            "type": self.type,
            "optional": self.optional,
            **asdict(FIELD_TYPES[self.type]),
        }


def parse_fields(spec: str | None) -> list[Field]:
    """Parse ``"name:str budget:decimal? ..."``; fields are separated by spaces and/or commas.

    ``?`` after the type makes a field optional. An empty or ``None`` spec gives no fields.

    Raises:
        InvalidInputError: a field has no type, an unknown type, a name that is not snake_case
            or that the generated model, schemas or database would not accept, or repeats
            another field's name.
    """
    fields = []
    for item in split_spec(spec, noun="field", example_name="my_field", types=list(FIELD_TYPES)):
        _check_name(item.name, item.where)
        fields.append(Field(item.name, _resolve_type(item.type_name, item.where), item.optional))
    return fields


def parse_resource_fields(spec: str | None, *, no_fields: bool, example: str) -> list[Field]:
    """The fields of a resource: ``--fields`` is required, unless ``--no-fields`` asks for a
    resource without columns of its own (only id, tenant and timestamps).

    A table with no columns is rarely what was meant: most often ``--fields`` was forgotten,
    so its absence is an error rather than a silent empty model.

    Raises:
        InvalidInputError: no fields and no ``--no-fields``, both given, or a bad spec.
    """
    if no_fields:
        if spec is not None:
            raise InvalidInputError(
                "--fields and --no-fields were both given.",
                hint="Keep --fields to give the resource columns, or --no-fields for none.",
            )
        return []
    fields = parse_fields(spec)
    if not fields:
        given = "is empty" if spec is not None else "is missing"
        raise InvalidInputError(
            f"--fields {given}: the resource would be a table with no columns of its own.",
            hint=f"Give its fields, e.g. `{example}`; types: {', '.join(FIELD_TYPES)}. "
            "For a resource with only id, tenant and timestamps, pass --no-fields.",
        )
    return fields


def _resolve_type(type_name: str, where: str) -> str:
    valid_types = ", ".join(FIELD_TYPES)
    if not type_name:
        raise InvalidInputError(
            f"{where} has no type after ':'.", hint=f"Valid types: {valid_types}."
        )
    key = type_name.lower()
    key = TYPE_ALIASES.get(key, key)
    if key in FIELD_TYPES:
        return key
    if key in _TYPE_ADVICE:
        advice = f"Use {_TYPE_ADVICE[key]}."
    else:
        import difflib  # only on the error path

        close = difflib.get_close_matches(key, [*FIELD_TYPES, *TYPE_ALIASES], n=1, cutoff=0.6)
        advice = f"Did you mean {TYPE_ALIASES.get(close[0], close[0])!r}?" if close else ""
    raise InvalidInputError(
        f"{where} has an unknown type {type_name!r}.",
        hint=f"{advice} Valid types: {valid_types}.".lstrip(),
    )


def _snake_guess(name: str) -> str:
    import unicodedata  # only on the error path

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "_".join(split_words(re.sub(r"[^A-Za-z0-9]+", "_", ascii_name)))


def _check_name(name: str, where: str) -> None:
    if name in _SQLALCHEMY_RESERVED:
        raise InvalidInputError(
            f"{where}: {name!r} has a meaning in SQLAlchemy's declarative models, or is used by "
            "the generated model class; a column of that name would replace it.",
            hint=f"Use a more specific name, e.g. '{name.strip('_')}_name'.",
        )
    if not _SNAKE.fullmatch(name):
        guess = _snake_guess(name)
        suggestion = f"Use {guess!r}." if guess and _SNAKE.fullmatch(guess) else ""
        raise InvalidInputError(
            f"{where}: the name {name!r} is not snake_case.",
            hint=f"{suggestion} Field names are lowercase ASCII words joined by '_', starting "
            "with a letter.".lstrip(),
        )
    if keyword.iskeyword(name):
        raise InvalidInputError(
            f"{where}: {name!r} is a Python keyword; the generated model and schemas could not "
            "declare it.",
            hint=f"Use a more specific name, e.g. '{name}_value'.",
        )
    if name in _PYTHON_NAMES:
        raise InvalidInputError(
            f"{where}: {name!r} has a meaning in the generated Python code (a method's "
            "first parameter, or a name the model and schema classes use after their fields); "
            "a field of that name breaks them.",
            hint=f"Use a more specific name, e.g. '{name}_value'.",
        )
    if name in _JS_RESERVED:
        raise InvalidInputError(
            f"{where}: {name!r} is a reserved word in TypeScript/JavaScript, where the "
            "generated frontend carries every field (types, zod schemas, forms).",
            hint=f"Use a more specific name, e.g. '{name}_value'.",
        )
    if name in _BUILT_IN_COLUMNS:
        raise InvalidInputError(
            f"{where}: every generated model already has the column {name!r}.",
            hint="Leave it out of --fields; scaffold adds it.",
        )
    if name.startswith("model_") or name in _PYDANTIC_RESERVED:
        alternative = f"item_{name}" if name.startswith("model_") else f"{name}_data"
        raise InvalidInputError(
            f"{where}: {name!r} would shadow an attribute of pydantic's BaseModel in the "
            "generated schemas (pydantic reserves 'model_*' and its methods' names).",
            hint=f"Use another name, e.g. {alternative!r}.",
        )
    if name in _TYPE_NAMES:
        raise InvalidInputError(
            f"{where}: a field named {name!r} hides the type {name!r} inside the generated model "
            "and schema classes, which breaks the annotations that use it.",
            hint=f"Use a more specific name, e.g. '{name}_value'.",
        )
    if len(name) > MAX_FIELD_NAME_LENGTH:
        raise InvalidInputError(
            f"{where}: the name is {len(name)} characters long; the limit is "
            f"{MAX_FIELD_NAME_LENGTH} (generated code stays within 88 columns).",
            hint="Use a shorter name.",
        )
