"""The optional findings schema: which attributes each lesion has, and what values they accept. No Qt.

A project has a schema when its state folder holds ``schema.toml`` (:data:`SCHEMA_FILE_NAME`;
``docs/schema-example.toml`` is a documented example). Without one the studio behaves as it
always has: no attribute editors, and the exports carry no attributes. The file::

    version = 1
    [[attributes]]
    name = "paris"                       # [a-z][a-z0-9_]*: a CSV column, a labelme flag prefix
    label = "Paris classification"       # what the panel shows (default: the name)
    type = "enum"                        # enum | text | number | integer
    choices = ["0-Ip", "0-Is", "0-IIa", "0-IIb", "0-IIc", "0-III"]   # enum only
    required = true                      # the panel marks lesions that lack it (default false)
    # min = 0, max = 200 (number/integer), unit = "mm", max_length = 200 (text), help = "..."

Unknown keys, a duplicate name, an enum without choices and options that do not fit the type
raise :class:`SchemaError` naming the offending key. :meth:`Attribute.parse` is the one
validation rule for a value, used by the panel, the imports and the store alike.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from meddisseg_studio.state.errors import FindingValueError, SchemaError

SCHEMA_FILE_NAME = "schema.toml"
SCHEMA_VERSION = 1
MAX_SCHEMA_BYTES = 256 * 1024
DEFAULT_MAX_TEXT = 1000
Kind = Literal["enum", "text", "number", "integer"]
KINDS: tuple[Kind, ...] = ("enum", "text", "number", "integer")
Value = str | float | int
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_ATTRIBUTE_KEYS = frozenset(
    {"name", "label", "type", "choices", "required", "min", "max", "unit", "max_length", "help"}
)
# A choice is joined with "; " in a CSV cell and is one line of a labelme flag ``name=choice``
# (read back by splitting at the first "=", which a name never holds).
_BAD_IN_CHOICE = (";", "\n", "\r")


@dataclass(frozen=True)
class Attribute:
    """One per-lesion attribute of the schema."""

    name: str
    label: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    max_length: int = DEFAULT_MAX_TEXT
    help: str = ""

    def parse(self, value: object) -> Value | None:
        """The stored form of ``value`` (text from an editor or a JSON value from a file).

        None or blank text means "not set" (None). Anything else that does not fit raises
        :class:`FindingValueError` naming the attribute, the value and why.
        """
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if self.kind == "enum":
            if not isinstance(value, str) or value not in self.choices:
                raise FindingValueError(self.name, value, f"choose one of {', '.join(self.choices)}")
            return value
        if self.kind == "text":
            if not isinstance(value, str):
                raise FindingValueError(self.name, value, "expected text")
            if "\n" in value or "\r" in value:
                raise FindingValueError(self.name, value, "a finding's text is one line")
            if len(value) > self.max_length:
                raise FindingValueError(self.name, value, f"longer than {self.max_length} characters")
            return value.strip()
        return self._number(value)

    def _number(self, value: object) -> float | int:
        if isinstance(value, bool):
            raise FindingValueError(self.name, value, "expected a number")
        number: float | int
        try:
            if isinstance(value, str):
                text = value.strip().replace(",", ".")  # a decimal comma is a common way to type it
                number = int(text) if self.kind == "integer" else float(text)
            elif isinstance(value, int | float):
                number = value
            else:
                raise ValueError
        except ValueError:
            kind = "a whole number" if self.kind == "integer" else "a number"
            raise FindingValueError(self.name, value, f"expected {kind}") from None
        if self.kind == "integer":
            if isinstance(number, float) and not number.is_integer():
                raise FindingValueError(self.name, value, "expected a whole number")
            number = int(number)
        else:
            number = float(number)
            if not math.isfinite(number):
                raise FindingValueError(self.name, value, "expected a finite number")
        if self.minimum is not None and number < self.minimum:
            raise FindingValueError(self.name, value, f"below the minimum {self.minimum:g}{self.unit_suffix}")
        if self.maximum is not None and number > self.maximum:
            raise FindingValueError(self.name, value, f"above the maximum {self.maximum:g}{self.unit_suffix}")
        return number

    @property
    def unit_suffix(self) -> str:
        return f" {self.unit}" if self.unit else ""

    def format(self, value: Value | None) -> str:
        """``value`` as an editor or a CSV cell shows it ("" when not set)."""
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


@dataclass(frozen=True)
class FindingsSchema:
    """The attributes of a project's lesions, in the file's order."""

    attributes: tuple[Attribute, ...]
    source: str = ""

    def attribute(self, name: str) -> Attribute:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        raise FindingValueError(name, None, "no such attribute in the findings schema")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attributes)

    def validate(self, values: Mapping[str, object]) -> dict[str, Value]:
        """Every value parsed (unset ones dropped), in schema order; the first bad one raises."""
        for name in values:
            self.attribute(name)
        parsed = {a.name: a.parse(values[a.name]) for a in self.attributes if a.name in values}
        return {name: value for name, value in parsed.items() if value is not None}

    def missing(self, values: Mapping[str, object]) -> tuple[str, ...]:
        """Names of the required attributes that ``values`` lacks."""
        return tuple(a.name for a in self.attributes if a.required and values.get(a.name) is None)


def _attribute(table: object, where: str) -> Attribute:
    if not isinstance(table, Mapping):
        raise SchemaError(where, f"expected a table, got {table!r}")
    unknown = sorted(set(table) - _ATTRIBUTE_KEYS)
    if unknown:
        raise SchemaError(where, f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_ATTRIBUTE_KEYS))})")
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise SchemaError(f"{where}.name", f"{name!r} must be lower-case letters, digits and _ (max 40)")
    kind = table.get("type")
    if kind not in KINDS:
        raise SchemaError(f"{where}.type", f"{kind!r} is not one of {', '.join(KINDS)}")
    choices = table.get("choices", [])
    if kind == "enum":
        if not isinstance(choices, list) or not choices:
            raise SchemaError(f"{where}.choices", "an enum needs a non-empty list of choices")
        for choice in choices:
            if not isinstance(choice, str) or not choice.strip() or any(c in choice for c in _BAD_IN_CHOICE):
                raise SchemaError(
                    f"{where}.choices", f"{choice!r} must be non-empty text without ; or a line break"
                )
        if len(set(choices)) != len(choices):
            raise SchemaError(f"{where}.choices", "a choice is listed twice")
    elif "choices" in table:
        raise SchemaError(f"{where}.choices", f"only an enum has choices, not a {kind}")
    for key in ("min", "max"):
        if key in table and (kind not in ("number", "integer") or not _is_number(table[key])):
            raise SchemaError(f"{where}.{key}", f"{table[key]!r}: a number, and only for number/integer")
    if "max_length" in table and (kind != "text" or not _is_count(table["max_length"])):
        raise SchemaError(f"{where}.max_length", f"{table['max_length']!r}: a positive integer, text only")
    for key in ("label", "unit", "help"):
        if key in table and not isinstance(table[key], str):
            raise SchemaError(f"{where}.{key}", f"expected text, got {table[key]!r}")
    if not isinstance(table.get("required", False), bool):
        raise SchemaError(f"{where}.required", f"expected true or false, got {table['required']!r}")
    minimum, maximum = table.get("min"), table.get("max")
    if minimum is not None and maximum is not None and minimum > maximum:
        raise SchemaError(f"{where}.min", f"min {minimum} is above max {maximum}")
    return Attribute(
        name=name,
        label=table.get("label") or name,
        kind=kind,
        required=table.get("required", False),
        choices=tuple(choices) if kind == "enum" else (),
        minimum=None if minimum is None else float(minimum),
        maximum=None if maximum is None else float(maximum),
        unit=table.get("unit", ""),
        max_length=table.get("max_length", DEFAULT_MAX_TEXT),
        help=table.get("help", ""),
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def parse_schema(document: Mapping[str, object], source: str = "schema") -> FindingsSchema:
    """Build the schema from a parsed TOML document; SchemaError names the offending key."""
    unknown = sorted(set(document) - {"version", "attributes"})
    if unknown:
        raise SchemaError(source, f"unknown key {unknown[0]!r} (known: attributes, version)")
    version = document.get("version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise SchemaError(f"{source}: version", f"{version!r} is not supported (this version reads 1)")
    tables = document.get("attributes", [])
    if not isinstance(tables, list):
        raise SchemaError(f"{source}: attributes", "expected [[attributes]] tables")
    attributes = tuple(_attribute(t, f"{source}: attributes[{i}]") for i, t in enumerate(tables))
    seen: set[str] = set()
    for attribute in attributes:
        if attribute.name in seen:
            raise SchemaError(f"{source}: attributes", f"the name {attribute.name!r} is used twice")
        seen.add(attribute.name)
    return FindingsSchema(attributes, source)


def load_schema(path: Path | str) -> FindingsSchema:
    """Read and check a schema file; SchemaError for an unreadable, oversized or invalid one."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SchemaError(path, f"cannot read it ({exc.strerror or exc})") from exc
    if len(data) > MAX_SCHEMA_BYTES:
        raise SchemaError(path, f"{len(data)} bytes; a schema is at most {MAX_SCHEMA_BYTES}")
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SchemaError(path, f"not valid TOML ({exc})") from exc
    return parse_schema(document, str(path))


def project_schema(state_dir: Path) -> FindingsSchema | None:
    """The schema in ``state_dir`` (``schema.toml``), or None when the project has none."""
    path = Path(state_dir) / SCHEMA_FILE_NAME
    return load_schema(path) if path.is_file() else None
