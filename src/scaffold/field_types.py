"""The one table of field types: how a spec type (``budget:decimal?``) looks in every layer.

Every blueprint reads a field's layer-specific spelling from here (through the answers
scaffold passes to copier), so the backend and the frontend never disagree on a type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldType:
    """How one spec type is spelled in each layer of the generated code."""

    python: str
    """Python annotation of the value (without ``| None``)."""
    python_import: str
    """``module:Name`` the annotation needs, or ``""``."""
    sqlalchemy: str
    """SQLAlchemy column type expression, e.g. ``Numeric(12, 2)``."""
    sqlalchemy_import: str
    """Name imported from ``sqlalchemy`` for the column type."""


FIELD_TYPES: dict[str, FieldType] = {
    "str": FieldType("str", "", "String(255)", "String"),
    "text": FieldType("str", "", "Text()", "Text"),
    "int": FieldType("int", "", "Integer()", "Integer"),
    "float": FieldType("float", "", "Float()", "Float"),
    "decimal": FieldType("Decimal", "decimal:Decimal", "Numeric(12, 2)", "Numeric"),
    "bool": FieldType("bool", "", "Boolean()", "Boolean"),
    "date": FieldType("date", "datetime:date", "Date()", "Date"),
    "datetime": FieldType("datetime", "datetime:datetime", "DateTime(timezone=True)", "DateTime"),
    "uuid": FieldType("UUID", "uuid:UUID", "Uuid()", "Uuid"),
    "json": FieldType("dict[str, Any]", "typing:Any", "JSON()", "JSON"),
}
