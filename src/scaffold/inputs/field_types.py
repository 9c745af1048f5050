"""The one table of field types: how a spec type (``budget:decimal?``) looks in every layer.

Every blueprint reads a field's layer-specific spelling from here (through the answers
scaffold passes to copier), so the backend and the frontend never disagree on a type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldType:
    """How one spec type is spelled in each layer of the generated code.

    The ``*_json`` attributes are Python source of JSON values: generated tests paste them
    into payload dicts, so they must be literals that ``json.dumps`` accepts unchanged.
    """

    python: str
    """Python annotation of the value (without ``| None``)."""
    python_import: str
    """``module:Name`` the annotation needs, or ``""``."""
    sqlalchemy: str
    """SQLAlchemy column type expression, e.g. ``Numeric(12, 2)``."""
    sqlalchemy_import: str
    """Name imported from ``sqlalchemy`` for the column type."""
    pydantic_constraints: str
    """Keyword arguments of ``pydantic.Field`` mirroring the column's limits, or ``""``."""
    sample_json: str
    """A valid value, as it is sent to and returned by the API on the SQLite test database."""
    other_sample_json: str
    """Another valid value, different from ``sample_json`` (used to test updates)."""
    invalid_json: str
    """A JSON value the API must reject with 422 for this type."""
    typescript: str
    """TypeScript type of the value as JSON carries it (without ``| null``): decimals, dates
    and datetimes are strings, as the API sends them."""
    zod: str
    """zod expression checking the value; ``z`` is zod's namespace. Mirrors the backend's
    limits (``max(255)``, two decimals), so a form refuses what the API would refuse."""
    input_type: str
    """Form control: an HTML input type, or ``textarea``."""
    input_props: str
    """Extra JSX attributes of the control (``step``, ``inputMode``, ``maxLength``), or ``""``."""
    form_value: str
    """Name of the ``formValue`` reader (``@/lib/forms``) that turns the control's raw value
    into what ``zod`` checks: ``text``, ``number``, ``checkbox``, ``datetime`` or ``json``."""
    sample_ts: str
    """``sample_json`` as a TypeScript literal."""
    sample_input: str
    """What a user types in the control to produce ``sample_ts`` (``""`` for a checkbox:
    clicking it does)."""
    sample_text: str
    """How ``formatValue`` (``@/lib/format``) displays ``sample_ts``."""
    invalid_input: str
    """A value the control accepts but ``zod`` refuses, or ``""`` if there is none."""
    request_python: str = ""
    """Annotation of the value in request schemas when it differs from ``python``: a
    validating type (``EmailStr``), or ``UtcDatetime``, which every generated schema
    module defines (offsets kept as the same instant in UTC; SQLite drops them)."""
    request_import: str = ""
    """``module:Name`` that ``request_python`` needs, or ``""``."""
    overflow_json: str = ""
    """Python source of a JSON value of the right type that the column cannot hold (the
    API answers 422, not a database error), or ``""`` if every value of the type fits."""


# Datetime samples are UTC ("Z"): the API answers every datetime in UTC, on SQLite (which
# drops offsets) as on PostgreSQL.
# Strings refuse NUL: PostgreSQL cannot store it in text, and would answer with an error.
_NO_NUL = r'pattern=r"^[^\x00]*$"'
FIELD_TYPES: dict[str, FieldType] = {
    "str": FieldType(
        python="str",
        python_import="",
        sqlalchemy="String(255)",
        sqlalchemy_import="String",
        pydantic_constraints=f"max_length=255, {_NO_NUL}",
        sample_json='"Acme"',
        other_sample_json='"Globex"',
        invalid_json="123",
        typescript="string",
        zod="z.string().max(255)",
        input_type="text",
        input_props="maxLength={255}",
        form_value="text",
        sample_ts='"Acme"',
        sample_input="Acme",
        sample_text="Acme",
        invalid_input="",
        overflow_json='"x" * 256',
    ),
    "text": FieldType(
        python="str",
        python_import="",
        sqlalchemy="Text()",
        sqlalchemy_import="Text",
        pydantic_constraints=_NO_NUL,
        sample_json='"A longer text."',
        other_sample_json='"Another text."',
        invalid_json="123",
        typescript="string",
        zod="z.string()",
        input_type="textarea",
        input_props="",
        form_value="text",
        sample_ts='"A longer text."',
        sample_input="A longer text.",
        sample_text="A longer text.",
        invalid_input="",
    ),
    "int": FieldType(
        python="int",
        python_import="",
        sqlalchemy="Integer()",
        sqlalchemy_import="Integer",
        # a 32-bit column on PostgreSQL
        pydantic_constraints="ge=-(2**31), le=2**31 - 1",
        sample_json="42",
        other_sample_json="7",
        invalid_json='"not a number"',
        typescript="number",
        zod="z.number().int()",
        input_type="number",
        input_props="step={1}",
        form_value="number",
        sample_ts="42",
        sample_input="42",
        sample_text="42",
        invalid_input="4.5",
        overflow_json=str(2**31),
    ),
    "float": FieldType(
        python="float",
        python_import="",
        sqlalchemy="Float()",
        sqlalchemy_import="Float",
        pydantic_constraints="allow_inf_nan=False",
        sample_json="1.5",
        other_sample_json="2.25",
        invalid_json='"not a number"',
        typescript="number",
        zod="z.number()",
        input_type="number",
        input_props='step="any"',
        form_value="number",
        sample_ts="1.5",
        sample_input="1.5",
        sample_text="1.5",
        invalid_input="",
    ),
    "decimal": FieldType(
        python="Decimal",
        python_import="decimal:Decimal",
        sqlalchemy="Numeric(12, 2)",
        sqlalchemy_import="Numeric",
        pydantic_constraints="max_digits=12, decimal_places=2",
        sample_json='"12.50"',
        other_sample_json='"99.95"',
        invalid_json='"not a number"',
        typescript="string",
        # Numeric(12, 2): ten digits before the point, two after
        zod=r'z.string().regex(/^-?\d{1,10}(\.\d{1,2})?$/, "Enter a number, 2 decimals at most")',
        input_type="text",
        input_props='inputMode="decimal"',
        form_value="text",
        sample_ts='"12.50"',
        sample_input="12.50",
        sample_text="12.50",
        invalid_input="12.345",
        overflow_json='"12345678901.00"',
    ),
    "bool": FieldType(
        python="bool",
        python_import="",
        sqlalchemy="Boolean()",
        sqlalchemy_import="Boolean",
        pydantic_constraints="",
        sample_json="True",
        other_sample_json="False",
        invalid_json='"not a boolean"',
        typescript="boolean",
        zod="z.boolean()",
        input_type="checkbox",
        input_props="",
        form_value="checkbox",
        sample_ts="true",
        sample_input="",
        sample_text="Yes",
        invalid_input="",
    ),
    "date": FieldType(
        python="date",
        python_import="datetime:date",
        sqlalchemy="Date()",
        sqlalchemy_import="Date",
        pydantic_constraints="",
        sample_json='"2026-01-15"',
        other_sample_json='"2026-02-01"',
        invalid_json='"not a date"',
        typescript="string",
        zod="z.iso.date()",
        input_type="date",
        input_props="",
        form_value="text",
        sample_ts='"2026-01-15"',
        sample_input="2026-01-15",
        sample_text="2026-01-15",
        invalid_input="",
    ),
    "datetime": FieldType(
        python="datetime",
        python_import="datetime:datetime",
        sqlalchemy="DateTime(timezone=True)",
        sqlalchemy_import="DateTime",
        pydantic_constraints="",
        sample_json='"2026-01-15T10:30:00Z"',
        other_sample_json='"2026-02-01T08:00:00Z"',
        invalid_json='"not a datetime"',
        typescript="string",
        zod="z.iso.datetime({ local: true, offset: true })",
        input_type="datetime-local",
        input_props="step={1}",
        form_value="datetime",
        sample_ts='"2026-01-15T10:30:00"',
        sample_input="2026-01-15T10:30",
        sample_text="2026-01-15T10:30:00",
        invalid_input="",
        request_python="UtcDatetime",
        overflow_json='"10000-01-01T00:00:00Z"',
    ),
    "uuid": FieldType(
        python="UUID",
        python_import="uuid:UUID",
        sqlalchemy="Uuid()",
        sqlalchemy_import="Uuid",
        pydantic_constraints="",
        sample_json='"0b5c7f3e-8d2a-4c1e-9f6b-2a7d4e8c1b90"',
        other_sample_json='"6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"',
        invalid_json='"not a uuid"',
        typescript="string",
        zod="z.guid()",
        input_type="text",
        input_props="",
        form_value="text",
        sample_ts='"0b5c7f3e-8d2a-4c1e-9f6b-2a7d4e8c1b90"',
        sample_input="0b5c7f3e-8d2a-4c1e-9f6b-2a7d4e8c1b90",
        sample_text="0b5c7f3e-8d2a-4c1e-9f6b-2a7d4e8c1b90",
        invalid_input="not-a-uuid",
    ),
    "json": FieldType(
        python="dict[str, Any]",
        python_import="typing:Any",
        sqlalchemy="JSON()",
        sqlalchemy_import="JSON",
        pydantic_constraints="",
        sample_json='{"key": "value"}',
        other_sample_json='{"key": "other value"}',
        invalid_json='"not an object"',
        typescript="Record<string, unknown>",
        zod="z.record(z.string(), z.unknown())",
        input_type="textarea",
        input_props="",
        form_value="json",
        sample_ts='{ key: "value" }',
        sample_input='{"key": "value"}',
        sample_text='{"key":"value"}',
        invalid_input="not json",
    ),
    "email": FieldType(
        python="str",
        python_import="",
        # the longest address RFC 5321 allows
        sqlalchemy="String(320)",
        sqlalchemy_import="String",
        pydantic_constraints="",
        sample_json='"ada@example.com"',
        other_sample_json='"grace@example.com"',
        invalid_json='"not an email"',
        typescript="string",
        zod="z.email().max(320)",
        input_type="email",
        input_props="maxLength={320}",
        form_value="text",
        sample_ts='"ada@example.com"',
        sample_input="ada@example.com",
        sample_text="ada@example.com",
        invalid_input="not-an-email",
        request_python="EmailStr",
        request_import="pydantic:EmailStr",
        # longer than the 254 characters an address may have
        overflow_json='"a" * 64 + "@" + ".".join(["b" * 63] * 4) + ".com"',
    ),
}
