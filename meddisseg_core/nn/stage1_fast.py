"""Cache-friendly inference kernel for one stage-1 head branch (upsample -> TeLU -> ELAT maps).

The full-resolution branch tensor (C×H×W, 16 MiB per branch at 256², C = 64) is produced in
row chunks that stay in cache: each chunk is upsampled (bilinear, align_corners=True, as two
1-D linear interpolations), passed through TeLU, summed for the ELAT average pool and
projected onto the 27 spatial-tap weights while it is hot. Only the projection onto the
(gate-dependent) fuse weights needs a second, read-only pass over the kept chunks.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from meddisseg_core.nn.blocks import telu_inference_

CHUNK_ROWS = 16


def interpolation_matrix(n_in: int, n_out: int, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    """n_out×n_in matrix of 1-D linear interpolation with align_corners=True (rows sum to 1)."""
    matrix = torch.zeros(n_out, n_in, device=device, dtype=dtype)
    if n_in == 1 or n_out == 1:
        matrix[:, 0] = 1.0
        return matrix
    src = torch.arange(n_out, dtype=torch.float64) * ((n_in - 1) / (n_out - 1))
    i0 = src.floor().long().clamp_(max=n_in - 1)
    i1 = (i0 + 1).clamp_(max=n_in - 1)
    frac = (src - i0).to(dtype)
    rows = torch.arange(n_out)
    matrix[rows, i0.to(device)] += (1 - frac).to(device)
    matrix[rows, i1.to(device)] += frac.to(device)
    return matrix


def branch_maps(
    y: torch.Tensor, scale: int, taps: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, list[torch.Tensor]]:
    """For one sample's low-resolution branch map ``y`` (C×h×w, conv+BN already applied):

    returns (channel means of t, the 27 tap projections of t as 27×H×W, the row chunks of t),
    where t = TeLU(Up×scale(y)) and ``taps`` is the 27×C spatial-conv weight matrix.
    """
    c, h, w = y.shape
    H, W = h * scale, w * scale
    # Width interpolation once (C×h×W is small) by PyTorch's bilinear kernel: the height is
    # unchanged, so align_corners maps every row onto itself (cheaper than a dense matrix product
    # with two non-zeros per column). The height interpolation runs per chunk, each chunk
    # reading only the few source rows it needs.
    wide = F.interpolate(y.unsqueeze(0), size=(h, W), mode="bilinear", align_corners=True)[0]
    down = interpolation_matrix(h, H, y.device, y.dtype)  # H×h, two non-zeros per row
    sums = y.new_zeros(c)
    projected = y.new_empty(27, H, W)
    chunks = []
    for r0 in range(0, H, CHUNK_ROWS):
        r1 = min(r0 + CHUNK_ROWS, H)
        lo = (r0 * (h - 1)) // max(H - 1, 1)
        hi = min(h, (((r1 - 1) * (h - 1)) // max(H - 1, 1)) + 2)
        chunk = torch.matmul(down[r0:r1, lo:hi], wide[:, lo:hi])
        telu_inference_(chunk)
        sums += chunk.sum(dim=(1, 2))
        flat = chunk.view(c, -1)
        # The rows r0:r1 of all 27 maps form a strided matrix that the product writes directly.
        torch.mm(taps, flat, out=projected[:, r0:r1].view(27, -1))
        chunks.append(flat)
    return sums / (H * W), projected, chunks


def dilated_sums(maps: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """Turn 27 per-tap maps (3 dilations × 3×3 taps, row-major; 27×H×W) into the 3 dilated conv
    outputs (3×H×W, ``bias`` added): each tap's map is added, shifted, into the window where the
    zero-padded convolution would read inside the image, so no padded copy is needed."""
    _, h, w = maps.shape
    out = maps[4::9] + bias.view(3, 1, 1)  # the centre taps cover the whole image
    for d in range(3):
        dil = d + 1
        for tap in range(9):
            if tap == 4:
                continue
            dy, dx = (tap // 3 - 1) * dil, (tap % 3 - 1) * dil
            if abs(dy) >= h or abs(dx) >= w:
                continue  # the tap only ever reads padding
            target = out[d, max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)]
            target += maps[9 * d + tap, max(dy, 0) : h - max(-dy, 0), max(dx, 0) : w - max(-dx, 0)]
    return out


def fuse_projection(weights: torch.Tensor, chunks: list[torch.Tensor], H: int, W: int) -> torch.Tensor:
    """(weights · t) as H×W from the kept chunks; ``weights`` is a length-C vector."""
    rows = [torch.mv(chunk.t(), weights) for chunk in chunks]
    return torch.cat(rows).view(H, W)
