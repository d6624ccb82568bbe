import numpy as np

from meddisseg_studio.tools import create_tool


def test_stroke_is_live_and_commits_one_edit_on_release(ctx, replay) -> None:
    start = ctx.mask.copy()
    brush = create_tool("brush")
    brush.press(ctx, 10.5, 10.5, subtract=False)
    assert ctx.mask[10, 10] == 1 and not ctx.edits  # shown at once, not yet committed
    brush.move(ctx, 30.5, 10.5, pressed=True)
    brush.move(ctx, 30.5, 40.5, pressed=True)
    assert ctx.mask[10, 20] == 1 and ctx.mask[25, 30] == 1
    assert ctx.refreshed  # every segment asked for a redraw
    brush.release(ctx, 30.5, 40.5)
    assert len(ctx.edits) == 1
    edit = ctx.edits[0]
    assert np.array_equal(replay(edit, start), ctx.mask)  # before = press time, after = now
    assert not brush.active


def test_hover_without_button_paints_nothing(ctx) -> None:
    brush = create_tool("brush")
    brush.move(ctx, 20.0, 20.0, pressed=False)
    assert ctx.mask.sum() == 0 and not ctx.edits


def test_repainting_painted_pixels_commits_nothing(ctx) -> None:
    ctx.mask[:] = 1
    brush = create_tool("brush")
    brush.press(ctx, 10.0, 10.0, subtract=False)
    brush.release(ctx, 10.0, 10.0)
    assert ctx.edits == []


def test_cut_modifier_paints_background_and_cancel_restores(ctx) -> None:
    ctx.mask[:] = 1
    brush = create_tool("brush")
    brush.press(ctx, 32.0, 32.0, subtract=True)
    assert ctx.mask[32, 32] == 0
    brush.cancel(ctx)
    assert ctx.mask.all() and ctx.edits == []
