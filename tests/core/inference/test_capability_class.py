"""The CPU class comes from the OS flags and torch's capability; bf16 is never assumed without the flag."""

from __future__ import annotations

import pytest

from meddisseg_core.inference.capability import cpu_class


@pytest.mark.parametrize(
    ("flags", "torch_capability", "expected"),
    [
        ({"avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16"}, "AVX512", "amx"),
        ({"avx2", "avx512f", "avx512_bf16"}, "AVX512", "avx512_bf16"),
        ({"avx2", "avx512f"}, "AVX512", "avx512"),
        (set(), "AVX512", "avx512"),  # Windows: no flags from the OS, torch's word only
        ({"avx", "avx2"}, "AVX2", "avx2"),
        (set(), "DEFAULT", "other"),
    ],
)
def test_cpu_class(flags: set[str], torch_capability: str, expected: str) -> None:
    assert cpu_class(frozenset(flags), torch_capability) == expected
