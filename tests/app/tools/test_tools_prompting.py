"""Box and Click turn pointer positions into checked prompts, or say why not (no Qt, no model)."""

from __future__ import annotations

import numpy as np

from meddisseg_core.interactive import Box, Click
from meddisseg_studio.tools import create_tool
from meddisseg_studio.tools.prompting import box_between, click_at


class PromptContext:
    def __init__(self, shape: tuple[int, int] = (40, 60)) -> None:
        self.mask = np.zeros(shape, np.uint8)
        self.requests: list = []
        self.messages: list[str] = []
        self.boxes: list = []

    def prompt(self, request) -> None:
        self.requests.append(request)

    def message(self, text: str) -> None:
        self.messages.append(text)

    def show_box(self, corners) -> None:
        self.boxes.append(corners)


def test_click_is_the_pixel_under_the_pointer_or_a_reason() -> None:
    assert click_at(12.7, 3.2, True, (40, 60)) == Click(12, 3, True)
    assert click_at(0.0, 39.99, False, (40, 60)) == Click(0, 39, False)
    for x, y in ((-0.01, 5), (60.0, 5), (5, 40.0)):
        reason = click_at(x, y, True, (40, 60))
        assert isinstance(reason, str) and "outside the image (60×40 px)" in reason


def test_box_covers_the_dragged_pixels_clipped_to_the_image() -> None:
    assert box_between((30.2, 20.9), (10.5, 5.1), (40, 60)) == (Box(10, 5, 31, 21), "")
    box, note = box_between((-5, -5), (70, 10), (40, 60))
    assert box == Box(0, 0, 60, 11) and "clipped" in note
    assert "no area" in box_between((10.2, 10.2), (10.8, 30), (40, 60))  # one column wide
    assert "outside the image" in box_between((-20, 5), (-2, 30), (40, 60))


def test_tools_prompt_or_explain_and_never_touch_the_mask() -> None:
    ctx = PromptContext()
    click = create_tool("click")
    click.press(ctx, 5.5, 6.5, subtract=True)
    click.press(ctx, 99, 6, subtract=False)
    box = create_tool("box")
    box.press(ctx, 2, 2, subtract=False)
    assert box.active and ctx.boxes[-1] == (2, 2, 2, 2)
    box.move(ctx, 20, 15, pressed=True)
    box.release(ctx, 20, 15)
    assert not box.active and ctx.boxes[-1] is None  # the drag preview is hidden
    assert [(r.tool, r.click, r.box) for r in ctx.requests] == [
        ("click", Click(5, 6, False), None),
        ("box", None, Box(2, 2, 21, 16)),
    ]
    assert len(ctx.messages) == 1 and "outside the image" in ctx.messages[0]
    assert not ctx.mask.any()
