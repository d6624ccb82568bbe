import threading

import numpy as np

from meddisseg_studio.state import AutosaveQueue, SaveError


def test_latest_snapshot_wins_while_the_writer_is_busy() -> None:
    gate = threading.Event()
    written: list[tuple[str, int]] = []

    def write(key: str, snapshot: np.ndarray) -> None:
        gate.wait(5)
        written.append((key, int(snapshot[0, 0])))

    queue = AutosaveQueue()
    queue.submit("a", 1, np.full((2, 2), 1, np.uint8), write)  # taken by the worker, blocks on gate
    for generation in range(2, 6):
        queue.submit("a", generation, np.full((2, 2), generation, np.uint8), write)
    queue.submit("b", 6, np.full((2, 2), 6, np.uint8), write)
    assert queue.is_pending("a")
    gate.set()
    assert queue.flush(5)
    assert ("a", 5) in written and ("b", 6) in written
    assert len(written) <= 3  # intermediate snapshots 2..4 were coalesced away
    assert written.index(("a", 5)) == len([w for w in written if w[0] == "a"]) - 1
    assert queue.saved_generation("a") == 5
    queue.close(5)


def test_failure_is_reported_and_cleared_by_a_later_success() -> None:
    outcomes = [OSError(28, "No space left on device"), None]
    reports: list[tuple[str, int, object]] = []

    def write(key: str, snapshot: np.ndarray) -> None:
        error = outcomes.pop(0)
        if error is not None:
            raise error

    queue = AutosaveQueue(on_saved=lambda key, gen, err: reports.append((key, gen, err)))
    queue.submit("k", 1, np.zeros((1, 1), np.uint8), write)
    queue.flush(5)
    assert isinstance(queue.error("k"), SaveError) and queue.saved_generation("k") == 0
    queue.submit("k", 2, np.zeros((1, 1), np.uint8), write)
    queue.flush(5)
    assert queue.error("k") is None and queue.saved_generation("k") == 2
    assert [r[1] for r in reports] == [1, 2] and isinstance(reports[0][2], SaveError)
    queue.close(5)
