"""Is the network being traced for export (ONNX, ``torch.export``, TorchScript, ``torch.compile``)?

The inference fast path uses in-place kernels, ``out=`` arguments, writes into slices of
preallocated buffers and a cache keyed on storage pointers. Those are fast in eager mode but
cannot be traced: the TorchScript ONNX exporter has no form of ``sigmoid(x, out=y)``, and the
``torch.export`` tracer runs on fake tensors that have no storage pointer. Under tracing, each of
those places takes a functional form of the same maths instead (same results up to float
rounding), and eager inference keeps its fast kernels.
"""

from __future__ import annotations

import torch


def exporting() -> bool:
    """True while a tracer or compiler (not eager PyTorch) runs the code."""
    return bool(
        torch.jit.is_tracing()
        or torch.onnx.is_in_onnx_export()
        or torch.compiler.is_compiling()
        or torch.compiler.is_exporting()
    )
