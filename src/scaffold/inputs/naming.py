"""Resource names: one validated name, spelled in every case form the blueprints need.

``ResourceName.parse("campaign-wizard")`` (or ``CampaignWizard``, ``campaign_wizards``, ...)
gives the singular and plural forms in snake, kebab, Pascal, camel and title case. A name that
would break a file path, a Python module, a TypeScript identifier or an SQL table is rejected
here, before anything is rendered, with a message saying what would be valid.

Only the stdlib is imported: this module is on the start-up path of every CLI command.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from scaffold.errors import InvalidInputError

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_TABLE_NAME_LENGTH",
    "ResourceName",
    "pluralize",
    "singularize",
    "split_words",
]

MAX_NAME_LENGTH = 64
"""Longest name accepted as typed."""

MAX_TABLE_NAME_LENGTH = 50
"""Longest table name: the migration names the tenant index ``ix_<table>_tenant_id`` and
PostgreSQL identifiers stop at 63 bytes (SQLAlchemy refuses longer explicit names)."""


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

# One word per match inside a run of letters and digits (separators are split on first):
#   "APIs"      an acronym pluralised with a lowercase s stays one word (APIs -> apis, not ap-is)
#   "HTTP" "S3" an upper-case run, digits included, that is not the capital of the next word
#               (HTTPClient -> HTTP + Client, userID -> user + ID, S3Bucket -> S3 + Bucket)
#   "Client"    an optional capital followed by lowercase letters and digits (digits belong to
#               the word before them: campaign2024, oauth2)
_WORD = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z0-9]+")
_SEPARATOR = re.compile(r"[-_]")
_ALLOWED = re.compile(r"[A-Za-z0-9_-]+")


def split_words(text: str) -> list[str]:
    """Split a name in any case form into lowercase words.

    Words end at ``-``, ``_`` and case changes; an upper-case run is one word
    (``HTTPClient`` -> ``["http", "client"]``).
    """
    return [word.lower() for segment in _SEPARATOR.split(text) for word in _WORD.findall(segment)]


# --------------------------------------------------------------------------------------------
# Inflection (of the last word only: "campaign-wizard" -> "campaign-wizards")
#
# A small table, not a library: every rule below exists because a plain "+s" / "-s" gets a
# word a web app is likely to use wrong. Singular forms are always derived first
# (singularize), then the plural from the singular (pluralize), so a name typed in either
# number gives the same pair.
# --------------------------------------------------------------------------------------------

# Same word in both numbers. Mostly mass nouns; "media" is a mass noun in web apps (a media
# library), so "medium" keeps the regular "mediums". Acronyms ending in s (sms, gps) are here
# so that their final s is never stripped.
_UNCOUNTABLE = frozenset(
    {
        "advice", "aircraft", "analytics", "baggage", "bison", "cms", "corps", "data", "deer",
        "dns", "equipment", "evidence", "feedback", "firmware", "fish", "furniture", "gps",
        "hardware", "headquarters", "homework", "info", "information", "knowledge",
        "logistics", "luggage", "mail", "means", "media", "metadata", "money", "moose", "music",
        "news", "offspring", "police", "research", "rice", "salmon", "series", "sheep", "sms",
        "software", "spam", "species", "staff", "swine", "traffic", "trout", "weather",
        "wildlife",
    }
)  # fmt: skip

# Irregular pairs that also end compound words typed as one word (salesperson, grandchild,
# chairwoman, bookshelf, housewife, superhero, popquiz).
_IRREGULAR_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("person", "people"),
    ("child", "children"),
    ("man", "men"),
    ("mouse", "mice"),
    ("shelf", "shelves"),
    ("knife", "knives"),
    ("wife", "wives"),
    ("wolf", "wolves"),
    ("hero", "heroes"),
    ("quiz", "quizzes"),
)

# Irregular pairs matched on the whole word only, because as a suffix they would catch
# regular words (box/boxes is not ox/oxen, shelf is handled above, not by elf).
_IRREGULAR_WORDS: tuple[tuple[str, str], ...] = (
    ("axis", "axes"),
    ("calf", "calves"),
    ("criterion", "criteria"),
    ("elf", "elves"),
    ("foot", "feet"),
    ("goose", "geese"),
    ("half", "halves"),
    ("hoof", "hooves"),
    ("leaf", "leaves"),
    ("life", "lives"),
    ("loaf", "loaves"),
    ("matrix", "matrices"),
    ("ox", "oxen"),
    ("phenomenon", "phenomena"),
    ("scarf", "scarves"),
    ("self", "selves"),
    ("thief", "thieves"),
    ("tooth", "teeth"),
    ("vertex", "vertices"),
    # Words in -o take -s (photos, videos, logos, todos, demos); these few take -es.
    ("echo", "echoes"),
    ("embargo", "embargoes"),
    ("potato", "potatoes"),
    ("tomato", "tomatoes"),
    ("torpedo", "torpedoes"),
    ("veto", "vetoes"),
    ("volcano", "volcanoes"),
    # Single z is doubled before -es.
    ("fez", "fezzes"),
    ("whiz", "whizzes"),
)

# Other plurals a user may type, mapped to their singular. "index" pluralises to "indexes",
# as PostgreSQL, MongoDB and Elasticsearch spell it for the web-app sense (a search index);
# "indices" is still understood.
_EXTRA_PLURALS = {"indices": "index", "appendices": "appendix"}

# Words ending in -man/-men that are not compounds of man.
_NOT_MAN = frozenset(
    {
        "abdomen", "acumen", "caiman", "cayman", "doberman", "german", "human", "lumen",
        "omen", "ottoman", "regimen", "roman", "shaman", "specimen", "stamen", "talisman",
        "walkman",
    }
)  # fmt: skip

# Singulars in -ie, whose plural -ies must not become -y (movies is not "movy").
_IE_SINGULARS = frozenset(
    {
        "auntie", "bookie", "bowtie", "brownie", "calorie", "cookie", "freebie", "genie",
        "goalie", "hippie", "hoodie", "lie", "movie", "necktie", "newbie", "pie", "prairie",
        "rookie", "selfie", "smoothie", "sortie", "tie", "zombie",
    }
)  # fmt: skip

# Singulars in -che, whose plural -ches must not lose its e (caches is not "cach").
_CHE_SINGULARS = frozenset(
    {
        "ache", "attache", "avalanche", "brioche", "cache", "cliche", "creche", "headache",
        "microfiche", "moustache", "mustache", "niche", "psyche", "quiche", "tranche",
    }
)  # fmt: skip

# Endings in -ch pronounced k, which take -s, not -es (epochs, fintechs, monarchs).
_CH_TAKES_S = (
    "epoch",
    "stomach",
    "monarch",
    "iarch",
    "garch",
    "tech",
    "mech",
    "loch",
    "eunuch",
    "czech",
)

# Singulars in -use, whose plural -uses must not become -us (excuses is not "excus").
# Those in -ause and -ouse (causes, houses) are handled by a rule.
_USE_SINGULARS = frozenset(
    {"abuse", "excuse", "fuse", "misuse", "muse", "recluse", "refuse", "reuse", "ruse", "use"}
)

# Singulars ending in a single s (not -ss, -us or -sis) whose plural is -ses.
_S_SINGULARS = frozenset(
    {"alias", "atlas", "bias", "canvas", "gas", "iris", "lens", "pancreas", "yes"}
)

# Singulars ending in -os or -is that would otherwise lose their s (photos -> photo, but not
# chaos; apis/kpis/taxis -> api/kpi/taxi, but not iris).
_S_FINAL_SINGULARS = frozenset(
    {
        "chaos",
        "cosmos",
        "ethos",
        "kudos",
        "pathos",
        "thermos",
        "ibis",
        "mantis",
        "metropolis",
        "pelvis",
        "trellis",
    }
)

# Singulars in -u, whose plural -us must not be read as a singular like status or campus.
_U_SINGULARS = frozenset(
    {"bayou", "caribou", "ecu", "emu", "gnu", "guru", "haiku", "menu", "sku", "submenu", "tutu"}
)

# Greek -sis nouns whose plural -ses would otherwise become -se (analyses -> analysis,
# theses -> thesis). "basis" is left out on purpose: "bases" is far more often the plural
# of "base" (databases, knowledge bases).
_SIS_SINGULAR_ENDINGS = ("ysis", "thesis", "crisis", "gnosis", "nopsis", "oasis", "mphasis")


def _irregular_plural(word: str) -> str | None:
    for singular, plural in _IRREGULAR_WORDS:
        if word == singular:
            return plural
    if word in _NOT_MAN:
        return None
    for singular, plural in _IRREGULAR_SUFFIXES:
        if word.endswith(singular):
            return word[: len(word) - len(singular)] + plural
    return None


def _irregular_singular(word: str) -> str | None:
    if word in _EXTRA_PLURALS:
        return _EXTRA_PLURALS[word]
    for singular, plural in _IRREGULAR_WORDS:
        if word in (singular, plural):
            return singular
    if word in _NOT_MAN:
        return None
    for singular, plural in _IRREGULAR_SUFFIXES:
        if word.endswith(plural):
            return word[: len(word) - len(plural)] + singular
        if word.endswith(singular):
            return word
    return None


def singularize(word: str) -> str:
    """Return the singular of one lowercase word (a singular is returned unchanged)."""
    if len(word) <= 2 or word in _UNCOUNTABLE:
        return word
    irregular = _irregular_singular(word)
    if irregular is not None:
        return irregular
    if word.endswith("ies"):
        return word[:-1] if word[:-1] in _IE_SINGULARS else word[:-3] + "y"
    if word.endswith("ses"):
        greek = word[:-2] + "is"
        if greek.endswith(_SIS_SINGULAR_ENDINGS):
            return greek
        if word.endswith("sses"):
            return word[:-2]
        if word.endswith(("auses", "ouses")) or word[:-1] in _USE_SINGULARS:
            return word[:-1]
        if word.endswith("uses") or word[:-2] in _S_SINGULARS:
            return word[:-2]
        return word[:-1]
    if word.endswith("ches"):
        return word[:-1] if word[:-1] in _CHE_SINGULARS else word[:-2]
    if word.endswith(("shes", "xes", "zzes", "tzes")):
        return word[:-2]
    if word.endswith("s"):
        if word.endswith(("ss", "sis")) or word in _S_SINGULARS or word in _S_FINAL_SINGULARS:
            return word
        if word.endswith("us"):
            return word[:-1] if word[:-1] in _U_SINGULARS else word
        return word[:-1]
    return word


def pluralize(word: str) -> str:
    """Return the plural of one lowercase singular word."""
    if word in _UNCOUNTABLE:
        return word
    irregular = _irregular_plural(word)
    if irregular is not None:
        return irregular
    if word.endswith("sis"):
        return word[:-2] + "es"
    if re.search(r"(?:[^aeiou]|qu)y$", word):
        return word[:-1] + "ies"
    if word.endswith("ch") and not word.endswith(_CH_TAKES_S):
        return word + "es"
    if word.endswith(("s", "x", "z", "sh")):
        return word + "es"
    return word + "s"


# --------------------------------------------------------------------------------------------
# Reserved names
# --------------------------------------------------------------------------------------------

# Snake forms are module and variable names. Python soft keywords (match, case, type, _) are
# valid identifiers everywhere, so only hard keywords are refused; they are checked in every
# snake and Pascal form because True, False and None are capitalised.
_PYTHON_KEYWORDS = frozenset(keyword.kwlist)

# Camel forms are TypeScript variable names: ECMAScript reserved words, the words reserved in
# strict mode (ES modules are strict), and the names strict mode forbids to bind.
_TYPESCRIPT_RESERVED = frozenset(
    {
        "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
        "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
        "function", "if", "import", "in", "instanceof", "new", "null", "return", "super",
        "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with",
        "yield",
        # strict mode
        "implements", "interface", "let", "package", "private", "protected", "public",
        "static", "arguments", "eval", "undefined",
    }
)  # fmt: skip

# The plural snake form is the table name. Only words that break an unquoted table name are
# refused (checked with CREATE TABLE / SELECT on PostgreSQL 15 and SQLite 3): PostgreSQL's
# reserved keywords (pg_get_keywords() categories R and T, plus SYSTEM_USER from 16) and the
# SQLite keywords it cannot fall back to an identifier. SQL-92 words that both engines accept
# (names, rows, values in PostgreSQL, date, key, ...) are allowed. Since tables are plural,
# "order", "group" and "user" are fine: their tables are orders, groups and users.
_SQL_RESERVED = frozenset(
    {
        # PostgreSQL
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
        "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
        "column", "concurrently", "constraint", "create", "cross", "current_catalog",
        "current_date", "current_role", "current_schema", "current_time",
        "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
        "else", "end", "except", "false", "fetch", "for", "foreign", "freeze", "from", "full",
        "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect", "into",
        "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
        "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or",
        "order", "outer", "overlaps", "placing", "primary", "references", "returning", "right",
        "select", "session_user", "similar", "some", "symmetric", "system_user", "table",
        "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using",
        "variadic", "verbose", "when", "where", "window", "with",
        # SQLite
        "add", "alter", "between", "commit", "delete", "drop", "escape", "exists", "insert",
        "set", "transaction", "update", "values",
    }
)  # fmt: skip

# Snake forms name modules and packages of the generated backend (app/models/<snake>.py,
# app/api/routes/<plural_snake>.py, ...). A resource must not take the name of one of the
# project's own packages, nor of a library module the generated code imports: the file would
# be mistaken for it by readers, by tools that put a folder on sys.path (pytest's rootdir
# mode, alembic's prepend_sys_path), and by "from x import y" completions.
_MODULE_NAMES = frozenset(
    {
        # the generated project
        "alembic", "api", "app", "config", "conftest", "core", "db", "deps", "main",
        "migrations", "models", "repositories", "routes", "schemas", "services", "settings",
        "test", "tests", "versions",
        # stdlib modules the generated code imports
        "asyncio", "collections", "contextlib", "dataclasses", "datetime", "decimal", "enum",
        "functools", "json", "logging", "types", "typing", "uuid",
        # libraries the generated code imports
        "fastapi", "httpx", "pydantic", "pytest", "sqlalchemy", "starlette",
    }
)  # fmt: skip

# Pascal forms are class, interface and component names. These are the names the generated
# backend modules import next to the resource class (a model named Session would clash with
# sqlalchemy.orm.Session in the repository, one named DateTime with the column type), and the
# TypeScript globals a same-named interface would shadow in every file that imports it.
_PASCAL_RESERVED = frozenset(
    {
        # backend blueprints
        "Any", "Base", "Boolean", "ConflictError", "Date", "DateTime", "Decimal", "Float",
        "Integer", "IntegrityError", "Mapped", "Mapping", "NotFoundError", "Numeric",
        "Session", "String", "Text", "Uuid",
        # TypeScript globals and utility types
        "Array", "Error", "Function", "Map", "Number", "Object", "Omit", "Partial", "Pick",
        "Promise", "Readonly", "Record", "Required", "Set", "Symbol",
    }
)  # fmt: skip

# Better suggestions than the generic "<name>-item" for names people are likely to try.
_SUGGESTIONS = {
    "class": "school-class",
    "date": "calendar-date",
    "default": "default-setting",
    "delete": "deletion-request",
    "function": "business-function",
    "global": "global-setting",
    "import": "data-import",
    "export": "data-export",
    "model": "ml-model",
    "new": "news-item",
    "pass": "access-pass",
    "reference": "book-reference",
    "return": "product-return",
    "route": "delivery-route",
    "session": "training-session",
    "service": "service-offering",
    "setting": "user-setting",
    "test": "ab-test",
    "text": "text-message",
    "type": "lead-type",
    "value": "field-value",
    "version": "app-version",
    "yield": "crop-yield",
}


# --------------------------------------------------------------------------------------------
# ResourceName
# --------------------------------------------------------------------------------------------


class _Problem(Exception):
    """A reason a name is invalid, before it is turned into a user-facing error."""

    def __init__(self, message: str, hint: str, *candidates: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.candidates = candidates


@dataclass(frozen=True)
class ResourceName:
    """One validated name in every case form, singular and plural.

    The plural inflects the last word only: ``lead-card`` -> ``lead-cards``. Words are
    normalised, so acronyms read as words: ``HTTPClient`` -> ``HttpClient``, ``http-client``.
    """

    raw: str
    snake: str
    kebab: str
    pascal: str
    camel: str
    title: str
    plural_snake: str
    plural_kebab: str
    plural_pascal: str
    plural_camel: str
    plural_title: str

    @classmethod
    def parse(cls, raw: str, *, what: str = "name") -> ResourceName:
        """Validate ``raw`` (any case form, singular or plural) and derive every form.

        Raises:
            InvalidInputError: the name is empty, too long, has characters other than letters,
                digits, ``-`` and ``_``, or would collide with a Python, TypeScript or SQL
                reserved word or with a module of the generated project.
        """
        try:
            return cls._build(raw)
        except _Problem as problem:
            hint = problem.hint
            suggestion = next(
                (c for c in problem.candidates if c != raw and cls._is_valid(c)), None
            )
            if suggestion is not None:
                hint = f"{hint} Try {suggestion!r}." if hint else f"Try {suggestion!r}."
            subject = what[:1].upper() + what[1:]
            raise InvalidInputError(f"{subject} {raw!r}: {problem.message}", hint=hint) from None

    def to_answers(self) -> dict[str, str]:
        """The forms blueprints render, keyed by form name (``raw`` is not one of them)."""
        return {
            "snake": self.snake,
            "kebab": self.kebab,
            "pascal": self.pascal,
            "camel": self.camel,
            "title": self.title,
            "plural_snake": self.plural_snake,
            "plural_kebab": self.plural_kebab,
            "plural_pascal": self.plural_pascal,
            "plural_camel": self.plural_camel,
            "plural_title": self.plural_title,
        }

    @classmethod
    def _is_valid(cls, candidate: str) -> bool:
        try:
            cls._build(candidate)
        except _Problem:
            return False
        return True

    @classmethod
    def _build(cls, raw: str) -> ResourceName:
        words = _check_spelling(raw)
        singular = [*words[:-1], singularize(words[-1])]
        plural = [*words[:-1], pluralize(singular[-1])]
        name = cls(raw, *_forms(singular), *_forms(plural))
        for form_words in (singular, plural):
            _check_round_trip(raw, form_words)
        _check_reserved(name)
        return name


def _forms(words: list[str]) -> tuple[str, str, str, str, str]:
    """snake, kebab, Pascal, camel and title forms of lowercase ``words``."""
    capitalized = [word.capitalize() for word in words]
    return (
        "_".join(words),
        "-".join(words),
        "".join(capitalized),
        words[0] + "".join(capitalized[1:]),
        " ".join(capitalized),
    )


def _kebab_guess(text: str) -> str:
    """A best-effort kebab spelling of anything typed, for suggestions only."""
    import unicodedata  # only on the error path

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.split(r"[^A-Za-z0-9]+", ascii_text)
    return "-".join(word for part in parts for word in split_words(part))


def _check_spelling(raw: str) -> list[str]:
    """Check the characters and separators of ``raw``; return its lowercase words."""
    if not isinstance(raw, str) or not raw.strip():
        raise _Problem("the name is empty.", "Give a name such as 'campaigns' or 'lead-card'.")
    if len(raw) > MAX_NAME_LENGTH:
        raise _Problem(
            f"the name is {len(raw)} characters long; the limit is {MAX_NAME_LENGTH}.",
            "Use a shorter name.",
        )
    if "/" in raw or "\\" in raw:
        raise _Problem(
            "path separators ('/' or '\\') are not allowed; a name is one word or several "
            "joined by '-' or '_', never a path.",
            "",
            _kebab_guess(raw),
        )
    if ".." in raw:
        raise _Problem("'..' is not allowed in a name.", "", _kebab_guess(raw))
    if any(char.isspace() for char in raw):
        raise _Problem(
            "spaces are not allowed; join words with '-' or '_', or write them in camelCase.",
            "",
            _kebab_guess(raw),
        )
    if not _ALLOWED.fullmatch(raw):
        bad = list(dict.fromkeys(char for char in raw if not _ALLOWED.fullmatch(char)))
        listed = ", ".join(repr(char) for char in bad)
        raise _Problem(
            f"{listed} {'is' if len(bad) == 1 else 'are'} not allowed; a name may only contain "
            "ASCII letters, digits, '-' and '_'.",
            "",
            _kebab_guess(raw),
        )
    if raw[0].isdigit():
        raise _Problem(
            "a name must start with a letter.",
            "Spell the number out or put it after a word, as in 'v2-campaigns'.",
        )
    if _SEPARATOR.match(raw[0]) or _SEPARATOR.match(raw[-1]) or re.search(r"[-_]{2}", raw):
        raise _Problem(
            "'-' and '_' may only join two words (no leading, trailing or doubled separator).",
            "",
            _kebab_guess(raw),
        )
    return split_words(raw)


def _check_round_trip(raw: str, words: list[str]) -> None:
    """Refuse words whose boundaries a change of case would lose (so any form parses back)."""
    for form in _forms(words):
        read_back = split_words(form)
        if read_back != words:
            kebab = "-".join(read_back)
            raise _Problem(
                f"its form {form!r} reads back as {kebab!r}, so the name would not survive a "
                "change of case (a word cannot start with a digit, and single letters "
                "cannot follow each other).",
                "",
                kebab,
            )


def _suggestions(name: ResourceName) -> tuple[str, ...]:
    specific = _SUGGESTIONS.get(name.kebab) or _SUGGESTIONS.get(singularize(name.kebab))
    generic = (f"{name.kebab}-item", f"my-{name.kebab}")
    return (specific, *generic) if specific else generic


def _check_reserved(name: ResourceName) -> None:
    for form, value in (("snake_case", name.snake), ("plural snake_case", name.plural_snake)):
        if value in _PYTHON_KEYWORDS:
            raise _Problem(
                f"its {form} form {value!r} is a Python keyword; a module or variable named "
                f"{value} would be a syntax error in the generated code.",
                "Use a more specific name.",
                *_suggestions(name),
            )
    for form, value in (("PascalCase", name.pascal), ("plural PascalCase", name.plural_pascal)):
        if value in _PYTHON_KEYWORDS:
            raise _Problem(
                f"its {form} form {value!r} is a Python keyword; a class named {value} would be "
                "a syntax error in the generated code.",
                "Use a more specific name.",
                *_suggestions(name),
            )
    for form, value in (("snake_case", name.snake), ("plural snake_case", name.plural_snake)):
        if value in _MODULE_NAMES:
            raise _Problem(
                f"its {form} form {value!r} is the name of a package of the generated project "
                "or of a module its code imports; a module of the same name would shadow it.",
                "Use a more specific name.",
                *_suggestions(name),
            )
    for form, value in (("camelCase", name.camel), ("plural camelCase", name.plural_camel)):
        if value in _TYPESCRIPT_RESERVED:
            raise _Problem(
                f"its {form} form {value!r} is a reserved word in TypeScript; a variable named "
                f"{value} would be a syntax error in the generated frontend.",
                "Use a more specific name.",
                *_suggestions(name),
            )
    for form, value in (("PascalCase", name.pascal), ("plural PascalCase", name.plural_pascal)):
        if value in _PASCAL_RESERVED:
            raise _Problem(
                f"its {form} form {value!r} is a name the generated code already uses (an "
                "import of the backend modules or a TypeScript global); a class or type of the "
                "same name would shadow it.",
                "Use a more specific name.",
                *_suggestions(name),
            )
    if name.plural_snake in _SQL_RESERVED:
        raise _Problem(
            f"its table name {name.plural_snake!r} is a reserved word in PostgreSQL or SQLite; "
            "every hand-written query would have to quote it.",
            "Use a more specific name.",
            *_suggestions(name),
        )
    if len(name.plural_snake) > MAX_TABLE_NAME_LENGTH:
        raise _Problem(
            f"its table name {name.plural_snake!r} is {len(name.plural_snake)} characters "
            f"long; the limit is {MAX_TABLE_NAME_LENGTH} so that index names such as "
            f"'ix_<table>_tenant_id' fit PostgreSQL's 63-character identifiers.",
            "Use a shorter name.",
        )
