"""Flood fill leaves a region that reaches the image border alone (and says so) unless Shift is held."""

import numpy as np

from meddisseg_studio.tools import create_tool


def test_open_region_fills_nothing_and_says_why(ctx) -> None:
    tool = create_tool("flood_fill")
    tool.press(ctx, 30.0, 30.0, subtract=False)  # empty mask: the region is the whole image
    assert ctx.mask.sum() == 0 and ctx.edits == []
    assert len(ctx.messages) == 1
    assert "border" in ctx.messages[0] and "Shift" in ctx.messages[0]


def test_region_closed_only_by_the_border_still_needs_shift(ctx, replay) -> None:
    # A lesion cut by the left image edge: its outline plus the border enclose it.
    ctx.mask[10:50, 0:30] = 1
    ctx.mask[12:48, 0:28] = 0
    start = ctx.mask.copy()
    tool = create_tool("flood_fill")
    tool.press(ctx, 10.0, 30.0, subtract=False)
    assert np.array_equal(ctx.mask, start) and ctx.edits == []
    tool.press(ctx, 10.0, 30.0, subtract=False, shift=True)
    assert ctx.mask[10:50, 0:30].all() and ctx.mask.sum() == 40 * 30
    assert len(ctx.edits) == 1 and np.array_equal(replay(ctx.edits[0], start), ctx.mask)


def test_shift_fills_the_whole_open_region(ctx) -> None:
    ctx.mask[20:40, 20:40] = 1
    tool = create_tool("flood_fill")
    tool.press(ctx, 5.0, 5.0, subtract=False, shift=True)
    assert ctx.mask.all() and len(ctx.edits) == 1 and ctx.messages == []


def test_cut_of_a_region_touching_the_border_needs_shift_too(ctx) -> None:
    ctx.mask[:, :] = 1
    tool = create_tool("flood_fill")
    tool.press(ctx, 30.0, 30.0, subtract=True)
    assert ctx.mask.all() and ctx.edits == [] and "cleared" in ctx.messages[0]
    tool.press(ctx, 30.0, 30.0, subtract=True, shift=True)
    assert ctx.mask.sum() == 0 and len(ctx.edits) == 1


def test_clicking_a_region_already_of_that_value_says_nothing(ctx) -> None:
    ctx.mask[:, :] = 1
    create_tool("flood_fill").press(ctx, 3.0, 3.0, subtract=False)
    assert ctx.edits == [] and ctx.messages == []
