"""Without a model, a prompt says how to load one and changes nothing."""

from __future__ import annotations

from prompt_support import drag, press, status


def test_prompts_without_a_model_say_how_to_load_one(qtbot, opened) -> None:
    window = opened
    assert window.proposals.predictor is None and not window.proposals.loading
    session = window.workspace.session
    window.actions["tool_click"].trigger()

    press(window, 40, 30)
    text = status(window)
    assert text.startswith("Click needs a model") and "Use default model (Ctrl+D)" in text
    assert "Load checkpoint (Ctrl+L)" in text

    window.actions["tool_box"].trigger()
    drag(window, (20, 15), (60, 50))
    assert status(window).startswith("Box needs a model")

    assert not window.prompts.busy and not window.canvas.prompt_markers.shown
    assert not session.mask.any() and len(session.undo_stack) == 0


def test_prompt_while_the_model_loads_asks_to_wait(qtbot, opened, monkeypatch) -> None:
    from meddisseg_studio.control.proposals import ProposalController

    window = opened
    monkeypatch.setattr(ProposalController, "loading", property(lambda _self: True))
    window.actions["tool_click"].trigger()
    press(window, 40, 30)
    assert status(window).startswith("Click: the model is still loading; try again in a moment")
    assert not window.prompts.busy and not window.workspace.session.mask.any()
