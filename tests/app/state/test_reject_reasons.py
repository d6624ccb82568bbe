"""The reject pick-list: defaults in one place, configurable, free text for "other…"."""

import pytest

from meddisseg_studio.state.reject_reasons import (
    DEFAULT_REJECT_REASONS,
    MAX_REASON_LENGTH,
    OTHER,
    RejectReasonError,
    chosen_reason,
    reasons_from_setting,
)


def test_defaults_are_the_clinical_reasons() -> None:
    assert DEFAULT_REJECT_REASONS == ("not a lesion", "image quality", "ambiguous border")
    assert reasons_from_setting(None) == DEFAULT_REJECT_REASONS
    assert reasons_from_setting("") == DEFAULT_REJECT_REASONS
    assert reasons_from_setting(["", "  "]) == DEFAULT_REJECT_REASONS


def test_a_configured_list_is_cleaned_and_deduplicated() -> None:
    stored = "motion blur\n  bubbles   in view \nMotion Blur\nother…\n\nnot a lesion"
    assert reasons_from_setting(stored) == ("motion blur", "bubbles in view", "not a lesion")
    assert reasons_from_setting(("a", "b")) == ("a", "b")


def test_other_stores_the_typed_text_and_needs_some() -> None:
    assert chosen_reason("image quality") == "image quality"
    assert chosen_reason(OTHER, "  glare over\nthe polyp ") == "glare over the polyp"
    with pytest.raises(RejectReasonError, match="''"):
        chosen_reason(OTHER, "")
    long = chosen_reason(OTHER, "x" * 500)
    assert len(long) == MAX_REASON_LENGTH and long.endswith("…")
