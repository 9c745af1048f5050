"""libcst edits of a model, its schemas and test payloads: before/after, idempotent."""

from __future__ import annotations

import pytest

from scaffold.edits.model_edits import (
    add_model_columns,
    add_schema_fields,
    drop_dict_entries,
    drop_model_columns,
    drop_schema_fields,
    model_columns,
)
from scaffold.errors import ProjectError
from scaffold.inputs.fields import parse_fields

MODEL = '''"""ORM model of the leads table."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(255))  # the contact
    # money, two decimals
    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
'''

MODEL_ADDED = '''"""ORM model of the leads table."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(255))  # the contact
    # money, two decimals
    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    score: Mapped[int | None] = mapped_column(Integer())
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    primary_contact_email_address_of_renewal: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True)
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
'''

MODEL_DROPPED = '''"""ORM model of the leads table."""

from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(255))  # the contact
    # money, two decimals
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
'''

ADD = parse_fields("score:int? extra:json? primary_contact_email_address_of_renewal:datetime?")


def test_add_columns_renders_them_as_the_blueprint_with_their_imports() -> None:
    assert add_model_columns(MODEL, path="m.py", class_name="Lead", fields=ADD) == MODEL_ADDED


def test_adding_again_changes_nothing() -> None:
    assert add_model_columns(MODEL_ADDED, path="m.py", class_name="Lead", fields=ADD) == MODEL_ADDED


def test_drop_column_removes_it_and_the_imports_only_it_used() -> None:
    dropped = drop_model_columns(MODEL, path="m.py", class_name="Lead", names=["budget"])

    assert dropped == MODEL_DROPPED
    assert drop_model_columns(dropped, path="m.py", class_name="Lead", names=["budget"]) == dropped


def test_add_then_drop_gives_back_the_model() -> None:
    added = add_model_columns(MODEL, path="m.py", class_name="Lead", fields=ADD)
    names = [field.name for field in ADD]

    assert drop_model_columns(added, path="m.py", class_name="Lead", names=names) == MODEL


def test_model_columns_read_type_nullability_and_index() -> None:
    columns = model_columns(MODEL, path="m.py", class_name="Lead")

    budget = columns["budget"]
    assert (budget.sqlalchemy, budget.nullable, budget.problem) == ("Numeric(12, 2)", True, "")
    assert columns["email"].nullable is False
    assert columns["tenant_id"].index is True
    assert "server_default" in columns["created_at"].problem


def test_a_file_that_does_not_parse_names_the_line() -> None:
    with pytest.raises(ProjectError) as error:
        add_model_columns("class Lead(:\n", path="m.py", class_name="Lead", fields=ADD)
    assert error.value.line == 1


def test_a_missing_class_is_named() -> None:
    with pytest.raises(ProjectError, match="no class `Lead`"):
        model_columns("x = 1\n", path="m.py", class_name="Lead")


SCHEMA = '''"""Schemas."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class LeadCreate(BaseModel):
    """Payload of a create request."""

    model_config = ConfigDict(extra="forbid")


class LeadUpdate(BaseModel):
    """Partial update."""

    model_config = ConfigDict(extra="forbid")


class LeadRead(BaseModel):
    """One row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
'''

SCHEMA_ADDED = '''"""Schemas."""

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class LeadCreate(BaseModel):
    """Payload of a create request."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(default=None, max_length=255, pattern=r"^[^\\x00]*$")
    budget: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)


class LeadUpdate(BaseModel):
    """Partial update."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(default=None, max_length=255, pattern=r"^[^\\x00]*$")
    budget: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)


class LeadRead(BaseModel):
    """One row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str | None
    budget: Decimal | None
    created_at: datetime
'''


def test_schema_fields_follow_the_schema_blueprint() -> None:
    fields = parse_fields("source:str? budget:decimal?")

    added = add_schema_fields(SCHEMA, path="s.py", pascal="Lead", fields=fields)

    assert added == SCHEMA_ADDED
    assert add_schema_fields(added, path="s.py", pascal="Lead", fields=fields) == added


def test_dropping_the_schema_fields_gives_back_the_schemas() -> None:
    dropped = drop_schema_fields(
        SCHEMA_ADDED, path="s.py", pascal="Lead", names=["source", "budget"]
    )

    assert dropped == SCHEMA


def test_required_fields_are_not_added_to_schemas() -> None:
    with pytest.raises(ValueError, match="optional"):
        add_schema_fields(SCHEMA, path="s.py", pascal="Lead", fields=parse_fields("x:int"))


TESTS = """PAYLOAD = {
    "email": "Acme",
    "notes": "A longer text.",
}
CHANGES = {"notes": "Another text."}
OTHER = {"email": 1, "notes": 2}
"""


def test_payload_entries_of_dropped_fields_go() -> None:
    assert drop_dict_entries(TESTS, path="t.py", names=["notes"]) == (
        """PAYLOAD = {
    "email": "Acme",
}
CHANGES = {}
OTHER = {"email": 1}
"""
    )
    assert drop_dict_entries(TESTS, path="t.py", names=["absent"]) == TESTS
