"""Two copies taking over the same stale lease at the same moment: exactly one wins, every time.

Two real processes are each refused (stale lease), then released together by the parent to
answer "Take over" at once. The loser is refused naming the winner (or the takeover in progress).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from meddisseg_studio.state.lease import LEASE_NAME, TAKEOVER_NAME, Holder

ROUNDS = 8


def _stale_lease(state: Path, round_index: int) -> None:
    holder = Holder("someone", "other-host", 7, "1", "0.1.0", time.time() - 3600, f"stale-{round_index}")
    path = state / LEASE_NAME
    path.write_bytes(holder.to_bytes())
    os.utime(path, (time.time() - 3600, time.time() - 3600))


def test_two_takers_at_once_one_wins(flat_folder: Path, tmp_path: Path, lease_child) -> None:
    state = tmp_path / "state"
    state.mkdir()
    takers = [lease_child(flat_folder, state) for _ in range(2)]
    for round_index in range(ROUNDS):
        _stale_lease(state, round_index)
        for taker in takers:
            assert taker.ask("open")["stale"] is not None  # both were asked "Take over?"
        for taker in takers:  # both answer at once
            taker.send("take")
        answers = [taker.read() for taker in takers]
        winners = [t for t, answer in zip(takers, answers, strict=True) if answer.get("opened")]
        assert len(winners) == 1, answers
        loser = answers[1 - takers.index(winners[0])]
        assert "refused" in loser and loser["stale"] is None
        assert json.loads((state / LEASE_NAME).read_text())["pid"] == winners[0].pid
        assert not (state / TAKEOVER_NAME).exists()
        assert winners[0].ask("close") == {"closed": True}
