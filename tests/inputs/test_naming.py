"""ResourceName: every case form of a name, its inflection, and the names it refuses."""

from __future__ import annotations

import keyword
import sqlite3
import subprocess
import sys

import pytest

from scaffold.errors import InvalidInputError
from scaffold.inputs.naming import (
    MAX_NAME_LENGTH,
    ResourceName,
    pluralize,
    singularize,
    split_words,
)

FORMS = (
    "snake", "kebab", "pascal", "camel", "title",
    "plural_snake", "plural_kebab", "plural_pascal", "plural_camel", "plural_title",
)  # fmt: skip

# (singular, plural): both must give this pair, whichever is typed.
INFLECTIONS = [
    ("campaign", "campaigns"),
    ("category", "categories"),
    ("person", "people"),
    ("status", "statuses"),
    ("box", "boxes"),
    ("address", "addresses"),
    ("bus", "buses"),
    ("analysis", "analyses"),
    ("child", "children"),
    ("man", "men"),
    ("woman", "women"),
    ("mouse", "mice"),
    ("leaf", "leaves"),
    ("knife", "knives"),
    ("hero", "heroes"),
    ("photo", "photos"),
    ("quiz", "quizzes"),
    ("criterion", "criteria"),
    ("index", "indexes"),
    ("day", "days"),
    ("key", "keys"),
    ("movie", "movies"),
    ("cache", "caches"),
    ("church", "churches"),
    ("epoch", "epochs"),
    ("house", "houses"),
    ("excuse", "excuses"),
    ("case", "cases"),
    ("database", "databases"),
    ("response", "responses"),
    ("alias", "aliases"),
    ("menu", "menus"),
    ("api", "apis"),
    ("thesis", "theses"),
    ("tax", "taxes"),
    ("dish", "dishes"),
    ("size", "sizes"),
    ("archive", "archives"),
    ("salesperson", "salespeople"),
    ("human", "humans"),
    ("specimen", "specimens"),
    ("id", "ids"),
]
UNCOUNTABLE = [
    "series",
    "species",
    "news",
    "data",
    "information",
    "equipment",
    "metadata",
    "feedback",
]


def parse(raw: str) -> ResourceName:
    return ResourceName.parse(raw, what="resource name")


def rejection(raw: str) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        parse(raw)
    return caught.value


# --- case forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "campaign-wizard",
        "campaign_wizard",
        "CampaignWizard",
        "campaignWizard",
        "campaign-wizards",
        "CAMPAIGN_WIZARDS",
    ],
)
def test_every_case_form_gives_the_same_name(raw: str) -> None:
    name = parse(raw)
    assert name.to_answers() == {
        "snake": "campaign_wizard",
        "kebab": "campaign-wizard",
        "pascal": "CampaignWizard",
        "camel": "campaignWizard",
        "title": "Campaign Wizard",
        "plural_snake": "campaign_wizards",
        "plural_kebab": "campaign-wizards",
        "plural_pascal": "CampaignWizards",
        "plural_camel": "campaignWizards",
        "plural_title": "Campaign Wizards",
    }


def test_raw_keeps_what_was_typed() -> None:
    assert parse("CampaignWizards").raw == "CampaignWizards"


def test_to_answers_has_exactly_the_ten_forms() -> None:
    assert tuple(parse("lead-card").to_answers()) == FORMS


def test_plural_input_gives_singular_and_plural() -> None:
    name = parse("campaigns")
    assert (name.snake, name.plural_snake) == ("campaign", "campaigns")


def test_only_the_last_word_is_inflected() -> None:
    name = parse("people-categories")
    assert (name.kebab, name.plural_kebab) == ("people-category", "people-categories")


@pytest.mark.parametrize(
    ("raw", "kebab"),
    [
        ("HTTPClient", "http-client"),
        ("userID", "user-id"),
        ("userIDs", "user-id"),
        ("APIKeys", "api-key"),
        ("KPIs", "kpi"),
        ("S3Bucket", "s3-bucket"),
        ("campaign2024", "campaign2024"),
    ],
)
def test_acronyms_and_digits_split_sensibly(raw: str, kebab: str) -> None:
    assert parse(raw).kebab == kebab


def test_acronyms_are_normalised_to_capitalised_words() -> None:
    name = parse("HTTPClient")
    assert (name.pascal, name.camel, name.title) == ("HttpClient", "httpClient", "Http Client")


@pytest.mark.parametrize(
    "raw", ["lead-card", "HTTPClient", "S3Bucket", "sales-people", "OAuth2Token", "v2-campaigns"]
)
@pytest.mark.parametrize("form", FORMS)
def test_every_form_parses_back_to_the_same_name(raw: str, form: str) -> None:
    name = parse(raw)
    again = parse(getattr(name, form).replace(" ", "-"))
    assert again.to_answers() == name.to_answers()


def test_split_words_handles_separators_and_case_changes() -> None:
    assert split_words("my_HTTPClient-forUsers") == ["my", "http", "client", "for", "users"]


# --- inflection ------------------------------------------------------------------------------


@pytest.mark.parametrize(("singular", "plural"), INFLECTIONS)
def test_singular_input_gives_the_plural(singular: str, plural: str) -> None:
    assert (singularize(singular), pluralize(singular)) == (singular, plural)


@pytest.mark.parametrize(("singular", "plural"), INFLECTIONS)
def test_plural_input_gives_the_singular(singular: str, plural: str) -> None:
    assert singularize(plural) == singular


@pytest.mark.parametrize("word", UNCOUNTABLE)
def test_uncountable_plural_equals_singular(word: str) -> None:
    assert (singularize(word), pluralize(word)) == (word, word)


def test_irregular_person_people() -> None:
    assert (parse("person").plural_pascal, parse("people").pascal) == ("People", "Person")


def test_index_pluralises_to_indexes_and_indices_is_understood() -> None:
    assert (parse("index").plural_snake, parse("indices").snake) == ("indexes", "index")


# --- refused names ---------------------------------------------------------------------------


def test_empty_name_is_rejected() -> None:
    assert "empty" in rejection("").message


@pytest.mark.parametrize("raw", ["campaigns/new", "..\\campaigns", "/etc"])
def test_name_with_path_separator_is_rejected(raw: str) -> None:
    assert "path separators" in rejection(raw).message


def test_name_with_parent_directory_is_rejected() -> None:
    assert "'..'" in rejection("campaigns..x").message


def test_name_with_spaces_is_rejected_with_kebab_suggestion() -> None:
    error = rejection("Lead Card")
    assert "spaces" in error.message
    assert error.hint == "Try 'lead-card'."


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [("campaign.wizard", "campaign-wizard"), ("café", "cafe"), ("lead@card", "lead-card")],
)
def test_name_with_other_characters_is_rejected_with_suggestion(raw: str, suggestion: str) -> None:
    error = rejection(raw)
    assert "not allowed" in error.message
    assert error.hint == f"Try {suggestion!r}."


def test_name_starting_with_digit_is_rejected() -> None:
    assert "start with a letter" in rejection("2fa-codes").message


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [("-campaigns", "campaigns"), ("campaigns_", "campaigns"), ("lead--card", "lead-card")],
)
def test_stray_separators_are_rejected_with_suggestion(raw: str, suggestion: str) -> None:
    assert rejection(raw).hint == f"Try {suggestion!r}."


@pytest.mark.parametrize(
    ("raw", "suggestion"), [("campaign-2024", "campaign2024"), ("a-b-test", "ab-test")]
)
def test_name_that_would_not_survive_a_change_of_case_is_rejected(
    raw: str, suggestion: str
) -> None:
    error = rejection(raw)
    assert "change of case" in error.message
    assert error.hint == f"Try {suggestion!r}."


def test_name_over_the_length_limit_is_rejected() -> None:
    assert "limit is 64" in rejection("a" * (MAX_NAME_LENGTH + 1)).message


def test_name_whose_table_name_fits_the_index_name_budget_is_accepted() -> None:
    assert len(parse("a" * 48 + "d").plural_snake) == 50


def test_table_name_over_the_index_name_budget_is_rejected() -> None:
    assert "table name" in rejection("a" * 49 + "d").message


@pytest.mark.parametrize("raw", ["class", "import", "def", "lambda", "global", "return"])
def test_python_keyword_is_rejected(raw: str) -> None:
    assert "Python keyword" in rejection(raw).message


@pytest.mark.parametrize("raw", ["None", "true", "False"])
def test_name_whose_pascal_form_is_a_python_constant_is_rejected(raw: str) -> None:
    assert "PascalCase form" in rejection(raw).message


def test_python_soft_keywords_are_accepted() -> None:
    assert parse("match").plural_snake == "matches"


def test_keyword_rejection_suggests_a_valid_name() -> None:
    error = rejection("class")
    assert error.message == (
        "Resource name 'class': its snake_case form 'class' is a Python keyword; a module or "
        "variable named class would be a syntax error in the generated code."
    )
    assert error.hint == "Use a more specific name. Try 'school-class'."


@pytest.mark.parametrize("raw", ["delete", "new", "function", "default", "export", "interface"])
def test_typescript_reserved_word_is_rejected(raw: str) -> None:
    assert "TypeScript" in rejection(raw).message


@pytest.mark.parametrize("raw", ["reference", "value"])
def test_name_whose_table_is_a_reserved_sql_word_is_rejected(raw: str) -> None:
    assert "table name" in rejection(raw).message


@pytest.mark.parametrize(
    ("raw", "table"),
    [("order", "orders"), ("group", "groups"), ("user", "users"), ("select", "selects")],
)
def test_sql_words_are_fine_when_their_table_is_plural(raw: str, table: str) -> None:
    assert parse(raw).plural_snake == table


@pytest.mark.parametrize(
    "raw",
    ["api", "models", "schema", "service", "deps", "typing", "datetime", "uuid", "json", "test"],
)
def test_name_shadowing_a_project_or_stdlib_module_is_rejected(raw: str) -> None:
    assert "shadow" in rejection(raw).message


@pytest.mark.parametrize("raw", ["session", "date-time", "text", "promise", "record"])
def test_name_whose_class_would_clash_with_an_import_or_ts_global_is_rejected(raw: str) -> None:
    assert "already uses" in rejection(raw).message


@pytest.mark.parametrize(
    "raw", ["class", "delete", "reference", "models", "session", "None", "Lead Card", "a"]
)
def test_every_suggestion_is_itself_valid(raw: str) -> None:
    hint = rejection(raw).hint or ""
    suggestion = hint.split("Try ")[1].rstrip(".").strip("'")
    assert parse(suggestion)


def test_what_names_the_subject_of_the_message() -> None:
    with pytest.raises(InvalidInputError, match=r"^Project name 'class':"):
        ResourceName.parse("class", what="project name")


def test_rejection_is_exit_code_2() -> None:
    assert rejection("class").exit_code == 2


def test_every_python_keyword_is_rejected() -> None:
    for word in keyword.kwlist:
        with pytest.raises(InvalidInputError):
            parse(word)


def test_sql_reserved_list_covers_every_word_sqlite_cannot_use_as_a_table() -> None:
    from scaffold.inputs.naming import _SQL_RESERVED

    candidates = [
        "add",
        "all",
        "alter",
        "and",
        "as",
        "between",
        "case",
        "check",
        "collate",
        "commit",
        "constraint",
        "create",
        "default",
        "deferrable",
        "delete",
        "distinct",
        "drop",
        "else",
        "escape",
        "except",
        "exists",
        "foreign",
        "from",
        "group",
        "having",
        "in",
        "insert",
        "intersect",
        "into",
        "is",
        "isnull",
        "join",
        "limit",
        "not",
        "notnull",
        "null",
        "on",
        "or",
        "order",
        "primary",
        "references",
        "returning",
        "select",
        "set",
        "table",
        "then",
        "to",
        "transaction",
        "union",
        "unique",
        "update",
        "using",
        "values",
        "when",
        "where",
        "names",
        "rows",
        "date",
        "key",
        "user",
        "action",
    ]
    connection = sqlite3.connect(":memory:")
    refused = set()
    for word in candidates:
        try:
            connection.execute(f"CREATE TABLE {word} (id INTEGER)")
            connection.execute(f"SELECT id FROM {word}")
        except sqlite3.OperationalError:
            refused.add(word)
    assert refused <= _SQL_RESERVED


def test_pascal_reserved_names_cover_every_column_type_import() -> None:
    from dataclasses import asdict

    from scaffold.inputs.field_types import FIELD_TYPES
    from scaffold.inputs.naming import _PASCAL_RESERVED

    imported = {asdict(t)["sqlalchemy_import"] for t in FIELD_TYPES.values()}
    imported |= {asdict(t)["python_import"].rpartition(":")[2] for t in FIELD_TYPES.values()}
    pascal_like = {n for n in imported if n[:1].isupper() and n[1:2].islower()}
    assert pascal_like <= _PASCAL_RESERVED


def test_importing_naming_stays_light() -> None:
    heavy = ("pydantic", "difflib", "unicodedata")
    code = f"import sys, scaffold.inputs.naming; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
