import numpy as np

from meddisseg_studio.tools import create_tool


def _circle(n: int = 40) -> list[tuple[float, float]]:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return [(32 + 20 * np.cos(a), 32 + 20 * np.sin(a)) for a in t]


def test_lasso_fills_the_enclosed_area_on_release(ctx, replay) -> None:
    start = ctx.mask.copy()
    lasso = create_tool("lasso")
    points = _circle()
    lasso.press(ctx, *points[0], subtract=False)
    for p in points[1:]:
        lasso.move(ctx, *p, pressed=True)
    assert ctx.mask.sum() == 0  # a preview path only while dragging
    lasso.release(ctx, *points[-1])
    area = ctx.mask.sum()
    assert abs(area - np.pi * 20**2) < 0.1 * np.pi * 20**2
    assert ctx.mask[32, 32] == 1 and ctx.mask[2, 2] == 0
    assert len(ctx.edits) == 1 and np.array_equal(replay(ctx.edits[0], start), ctx.mask)


def test_lasso_cut(ctx) -> None:
    ctx.mask[:] = 1
    lasso = create_tool("lasso")
    points = _circle()
    lasso.press(ctx, *points[0], subtract=True)
    for p in points[1:]:
        lasso.move(ctx, *p, pressed=True)
    lasso.release(ctx, *points[-1])
    assert ctx.mask[32, 32] == 0 and ctx.mask[2, 2] == 1
