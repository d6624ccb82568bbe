import numpy as np

from meddisseg_studio.tools import create_tool


def test_flood_fill_fills_the_clicked_region_only(ctx, replay) -> None:
    ctx.mask[20:40, 20:40] = 1
    ctx.mask[25:35, 25:35] = 0  # a hole
    start = ctx.mask.copy()
    tool = create_tool("flood_fill")
    tool.press(ctx, 30.0, 30.0, subtract=False)
    tool.release(ctx, 30.0, 30.0)
    assert ctx.mask[20:40, 20:40].all() and ctx.mask.sum() == 400
    assert len(ctx.edits) == 1 and np.array_equal(replay(ctx.edits[0], start), ctx.mask)


def test_flood_fill_cut_and_no_op(ctx) -> None:
    ctx.mask[20:40, 20:40] = 1
    tool = create_tool("flood_fill")
    tool.press(ctx, 5.0, 5.0, subtract=True)  # background clicked to background: nothing
    assert ctx.edits == []
    tool.press(ctx, 30.0, 30.0, subtract=True)
    assert ctx.mask.sum() == 0 and len(ctx.edits) == 1
