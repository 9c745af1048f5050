"""Prop specs: ``"name:string score:number? onSelect:fn"`` parsed into validated component props.

Each prop becomes a property of the component's props interface, a destructured parameter
and, for data props, a key of its zod schema, so a name is refused here if it would break any
of them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from scaffold.errors import InvalidInputError
from scaffold.inputs.naming import split_words
from scaffold.inputs.prop_types import PROP_TYPES
from scaffold.inputs.typed_specs import split_spec

__all__ = ["PROP_TYPE_ALIASES", "Prop", "parse_props"]

PROP_TYPE_ALIASES = {
    "str": "string",
    "text": "string",
    "int": "number",
    "integer": "number",
    "float": "number",
    "bool": "boolean",
    "callback": "fn",
    "function": "fn",
    "func": "fn",
    "reactnode": "node",
    "element": "node",
    "str[]": "string[]",
    "int[]": "number[]",
}
"""Other spellings accepted for a prop type (type names are case-insensitive)."""

# Reserved words of JavaScript and TypeScript (strict mode, where components live): a prop is
# destructured into a parameter of the same name, which these cannot be.
_RESERVED_WORDS = frozenset(
    {
        "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
        "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
        "function", "if", "implements", "import", "in", "instanceof", "interface", "let", "new",
        "null", "package", "private", "protected", "public", "return", "static", "super",
        "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with",
        "yield", "arguments", "eval", "undefined",
    }
)  # fmt: skip

# Props React consumes itself: a component never receives them.
_REACT_RESERVED = frozenset({"key", "ref"})

_CAMEL = re.compile(r"[a-z][a-zA-Z0-9]*")


@dataclass(frozen=True)
class Prop:
    """One prop of a component: a camelCase name, a PROP_TYPES key, and whether it is optional."""

    name: str
    type: str
    optional: bool

    @property
    def label(self) -> str:
        """Words of the name as a person reads them: ``onSelectLead`` -> ``Select lead``."""
        words = split_words(self.name)
        if self.type == "fn" and len(words) > 1 and words[0] == "on":
            words = words[1:]
        return " ".join(words).capitalize()

    def to_answers(self) -> dict[str, object]:
        """The prop as blueprints see it: name, type, optional, label and its type's spellings."""
        return {
            **asdict(PROP_TYPES[self.type]),
            "name": self.name,
            "type": self.type,
            "optional": self.optional,
            "label": self.label,
        }


def parse_props(spec: str | None) -> list[Prop]:
    """Parse ``"name:string score:number? onSelect:fn"``; props are separated by spaces or commas.

    ``?`` after the type makes a prop optional. An empty or ``None`` spec gives no props.

    Raises:
        InvalidInputError: a prop has no type, an unknown type, a name that is not camelCase,
            is a reserved word or a prop React keeps for itself, or repeats another prop's name.
    """
    props = []
    for item in split_spec(spec, noun="prop", example_name="myProp", types=list(PROP_TYPES)):
        prop_type = _resolve_type(item.type_name, item.where)
        _check_name(item.name, prop_type, item.where)
        props.append(Prop(item.name, prop_type, item.optional))
    return props


def _resolve_type(type_name: str, where: str) -> str:
    valid_types = ", ".join(PROP_TYPES)
    if not type_name:
        raise InvalidInputError(
            f"{where} has no type after ':'.", hint=f"Valid types: {valid_types}."
        )
    key = type_name.lower()
    key = PROP_TYPE_ALIASES.get(key, key)
    if key in PROP_TYPES:
        return key
    import difflib  # only on the error path

    close = difflib.get_close_matches(key, [*PROP_TYPES, *PROP_TYPE_ALIASES], n=1, cutoff=0.6)
    advice = f"Did you mean {PROP_TYPE_ALIASES.get(close[0], close[0])!r}? " if close else ""
    raise InvalidInputError(
        f"{where} has an unknown type {type_name!r}.",
        hint=f"{advice}Valid types: {valid_types}.",
    )


def _camel_guess(name: str) -> str:
    import unicodedata  # only on the error path

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = split_words(re.sub(r"[^A-Za-z0-9]+", "_", ascii_name))
    return "".join([words[0], *(word.capitalize() for word in words[1:])]) if words else ""


def _check_name(name: str, prop_type: str, where: str) -> None:
    if not _CAMEL.fullmatch(name):
        guess = _camel_guess(name)
        suggestion = f"Use {guess!r}." if guess and _CAMEL.fullmatch(guess) else ""
        raise InvalidInputError(
            f"{where}: the name {name!r} is not camelCase.",
            hint=f"{suggestion} Prop names are ASCII letters and digits, starting with a "
            "lowercase letter, each later word capitalised (onSelect, firstName).".lstrip(),
        )
    if name in _RESERVED_WORDS:
        raise InvalidInputError(
            f"{where}: {name!r} is a reserved word of JavaScript/TypeScript; the component could "
            "not take it as a parameter.",
            hint=f"Use a more specific name, e.g. '{name}Value'.",
        )
    if name in _REACT_RESERVED:
        raise InvalidInputError(
            f"{where}: React keeps the {name!r} prop for itself; the component never receives it.",
            hint=f"Use another name, e.g. 'item{name.capitalize()}'.",
        )
    if name == "children" and prop_type != "node":
        raise InvalidInputError(
            f"{where}: 'children' is what React passes between the component's tags, so it must "
            f"be of type node, not {prop_type}.",
            hint="Write 'children:node', or give this prop another name.",
        )
