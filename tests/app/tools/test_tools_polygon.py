import numpy as np

from meddisseg_studio.tools import create_tool


def _square(tool, ctx, subtract: bool) -> None:
    tool.press(ctx, 10.0, 10.0, subtract)
    tool.release(ctx, 10.0, 10.0)
    for x, y in [(40.0, 10.0), (40.0, 40.0), (10.0, 40.0)]:
        tool.press(ctx, x, y, False)
        tool.release(ctx, x, y)


def test_polygon_adds_on_enter_without_touching_the_mask_before(ctx, replay) -> None:
    start = ctx.mask.copy()
    tool = create_tool("polygon")
    _square(tool, ctx, subtract=False)
    assert ctx.mask.sum() == 0 and tool.active  # only a preview so far
    assert ctx.paths[-1] is not None and len(ctx.paths[-1]) == 4
    tool.finish(ctx)
    assert ctx.mask[10:41, 10:41].all() and ctx.mask.sum() == 31 * 31
    assert len(ctx.edits) == 1 and np.array_equal(replay(ctx.edits[0], start), ctx.mask)
    assert not tool.active and ctx.paths[-1] is None


def test_polygon_cut_with_modifier_and_double_click_closes(ctx) -> None:
    ctx.mask[:] = 1
    tool = create_tool("polygon")
    _square(tool, ctx, subtract=True)
    tool.double_click(ctx, 10.0, 40.0)  # same pixel as the last vertex: not added twice
    assert ctx.mask[10:41, 10:41].sum() == 0 and ctx.mask.sum() == 64 * 64 - 31 * 31
    assert len(ctx.edits) == 1


def test_backtrack_and_too_few_points(ctx) -> None:
    tool = create_tool("polygon")
    _square(tool, ctx, subtract=False)
    tool.backtrack(ctx)
    tool.backtrack(ctx)
    tool.finish(ctx)
    assert ctx.mask.sum() == 0 and ctx.edits == [] and ctx.messages
