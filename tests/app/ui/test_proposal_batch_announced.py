"""The end of a batch of proposals is announced in the status bar, with counts and failures."""

from __future__ import annotations

from ui_support import BROKEN, readable_keys, wait_idle


def test_batch_end_names_counts_and_failures(qtbot, opened, constant_predictor) -> None:
    keys = readable_keys(opened)
    opened.proposals.set_predictor(constant_predictor, "constant")
    with qtbot.waitSignal(opened.proposals.batchFinished, timeout=20_000) as finished:
        opened.proposals.propose([*keys, BROKEN])  # the broken file fails, the rest go on
    wait_idle(qtbot, opened)
    text = finished.args[0]
    assert text.startswith("Proposals finished")
    assert f"{len(keys)} of {len(keys) + 1} image(s) proposed" in text
    assert f"1 failed: {BROKEN}" in text
    # Shown in the status bar, and it stays there (no timeout) until the next message.
    assert opened.statusBar().currentMessage() == text
