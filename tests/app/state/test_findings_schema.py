"""The findings schema: the documented example parses; a bad file raises naming the offending key."""

from __future__ import annotations

from pathlib import Path

import pytest

from meddisseg_studio.state.errors import FindingValueError, SchemaError
from meddisseg_studio.state.findings_schema import load_schema, parse_schema

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "schema-example.toml"
PARIS = ("0-Ip", "0-Is", "0-IIa", "0-IIb", "0-IIc", "0-III")


def test_documented_example_parses() -> None:
    schema = load_schema(EXAMPLE)
    assert schema.names == ("paris", "size_class", "size_mm", "histology", "note")
    paris = schema.attribute("paris")
    assert (paris.kind, paris.choices, paris.required) == ("enum", PARIS, True)
    assert paris.label == "Paris classification"
    size = schema.attribute("size_mm")
    assert (size.kind, size.minimum, size.maximum, size.unit) == ("number", 0.0, 200.0, "mm")
    assert schema.attribute("note").max_length == 300
    assert schema.missing({"size_mm": 4.0}) == ("paris",)


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ({"attributes": [], "colour": "red"}, "unknown key 'colour'"),
        ({"attributes": [{"name": "p", "type": "enum", "choices": ["0-Is"], "requird": True}]}, "'requird'"),
        ({"attributes": [{"name": "paris", "type": "enum"}]}, "needs a non-empty list of choices"),
        ({"attributes": [{"name": "paris", "type": "enum", "choices": ["0-Is", "0-Is"]}]}, "listed twice"),
        ({"attributes": [{"name": "paris", "type": "enum", "choices": ["a;b"]}]}, "'a;b'"),
        ({"attributes": [{"name": "paris", "type": "colour"}]}, "'colour' is not one of"),
        ({"attributes": [{"name": "Paris", "type": "text"}]}, "'Paris' must be lower-case"),
        ({"attributes": [{"name": "n", "type": "text", "min": 1}]}, "attributes[0].min"),
        ({"attributes": [{"name": "n", "type": "number", "min": 5, "max": 1}]}, "min 5 is above max 1"),
        ({"attributes": [{"name": "n", "type": "text"}, {"name": "n", "type": "text"}]}, "used twice"),
        ({"version": 2, "attributes": []}, "version"),
    ],
)
def test_bad_schema_names_the_offending_key(document: dict, fragment: str) -> None:
    with pytest.raises(SchemaError) as raised:
        parse_schema(document, "schema.toml")
    assert fragment in str(raised.value)


def test_bad_values_are_refused_with_the_attribute_and_value() -> None:
    schema = load_schema(EXAMPLE)
    parsed = schema.validate({"paris": "0-IIa", "size_mm": "7,5", "note": ""})
    assert parsed == {"paris": "0-IIa", "size_mm": 7.5}
    for name, value, why in (
        ("paris", "0-IIx", "choose one of 0-Ip"),
        ("paris", 3, "choose one of"),
        ("size_mm", "-1", "below the minimum 0 mm"),
        ("size_mm", "nan", "finite"),
        ("size_mm", True, "expected a number"),
        ("note", "two\nlines", "one line"),
        ("note", "x" * 301, "longer than 300"),
        ("colour", "red", "no such attribute"),
    ):
        with pytest.raises(FindingValueError) as raised:
            schema.validate({name: value})
        assert name in str(raised.value) and why in str(raised.value), raised.value


def test_unreadable_toml_is_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / "schema.toml"
    path.write_text("[[attributes]\nname = ", encoding="utf-8")
    with pytest.raises(SchemaError, match="not valid TOML"):
        load_schema(path)
