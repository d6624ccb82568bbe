"""A crash at any point of writing the resumable checkpoint leaves the previous or the new pair.

Each write, directory sync and clean-up call of ``save_latest`` is made to fail in turn (a crash
at that point); the run folder must then still load, consistently, at the old or the new step.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from meddisseg_core.nn import NetworkConfig, build_network
from meddisseg_core.train import state


class _CrashError(Exception):
    pass


def _save(out: Path, network: torch.nn.Module, optimizer: torch.optim.Optimizer, step: int) -> None:
    with torch.no_grad():
        for tensor in network.state_dict().values():
            if tensor.is_floating_point():
                tensor.fill_(float(step))  # weights that say which save they came from
    state.save_latest(out, network, optimizer, None, state.Progress(step=step), {}, {"stage": 2})


def test_crash_at_every_point_of_a_save_keeps_a_whole_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = build_network(NetworkConfig.tiny(2))
    optimizer = torch.optim.Adam(network.parameters())
    names = ("atomic_write_bytes", "atomic_write_text", "fsync_dir", "_remove_stale")
    originals = {name: getattr(state, name) for name in names}
    crash_points = 0
    while True:
        out = tmp_path / f"run{crash_points}"
        _save(out, network, optimizer, 1)
        calls = {"n": 0, "crash_at": crash_points + 1}

        def counting(name: str, calls: dict[str, int] = calls):
            def wrapper(*args: object, **kwargs: object) -> object:
                calls["n"] += 1
                if calls["n"] == calls["crash_at"]:
                    raise _CrashError(name)
                return originals[name](*args, **kwargs)

            return wrapper

        for name in names:
            monkeypatch.setattr(state, name, counting(name))
        try:
            _save(out, network, optimizer, 2)
            crashed = False
        except _CrashError:
            crashed = True
        finally:
            for name in names:
                monkeypatch.setattr(state, name, originals[name])
        weights, payload = state.load_latest(out)  # must never raise
        step = payload["progress"]["step"]
        assert step in (1, 2)
        assert all(torch.all(w == step) for w in weights.values() if w.is_floating_point())
        if not crashed:
            break
        crash_points += 1
    assert crash_points >= 4  # the weights, the state, the folder sync, the pointer at least
