"""Stage-1 network: truncated ResNet-50 encoder and the ELAT fusion head (the authors' MedDisSeg1)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from meddisseg_core.nn.attention import ELAT
from meddisseg_core.nn.blocks import ConvBNAct, telu_inference, upsample
from meddisseg_core.nn.config import NetworkConfig
from meddisseg_core.nn.encoder import ResNetEncoder, encode
from meddisseg_core.nn.fusion import FusedCache
from meddisseg_core.nn.keymap import STAGE1_RULES, install_keymap
from meddisseg_core.nn.outputs import Inference, Stage1Output
from meddisseg_core.nn.stage1_fast import branch_maps, dilated_sums, fuse_projection
from meddisseg_core.nn.tracing import exporting

_SCALES = (2, 4, 8, 16)
# Row-chunked, cache-friendly head kernel (see stage1_fast); False selects the whole-tensor path.
_CHUNKED = True


class Stage1Head(nn.Module):
    """Four 1×1 CBT + ELAT branches on the upsampled encoder maps, fused by a 1×1 conv and a sigmoid."""

    def __init__(self, in_channels: tuple[int, int, int, int], width: int) -> None:
        super().__init__()
        # All four reductions are registered before the four ELATs (authors' key order).
        for k, c in enumerate(in_channels, start=1):
            self.add_module(f"reduce{k}", ConvBNAct(c, width, 1, padding=0))
        for k in range(1, 5):
            self.add_module(f"att{k}", ELAT(width))
        self.fuse = nn.Conv2d(4 * width, 1, 1, bias=False)

    def branches(self) -> list[tuple[ConvBNAct, ELAT]]:
        return [(getattr(self, f"reduce{k}"), getattr(self, f"att{k}")) for k in range(1, 5)]

    def forward(self, features: tuple[torch.Tensor, ...], logits: bool = False) -> torch.Tensor:
        """Training semantics (BatchNorm with batch statistics in train mode); ``logits`` skips the sigmoid.

        The authors upsample each encoder map (up to 1024 channels) to full resolution and then
        apply the 1x1 conv. That conv has no bias and bilinear align_corners weights sum to 1, so
        it commutes with the upsampling exactly: it runs here at the encoder's resolution and only
        ``width`` channels are upsampled. BatchNorm (whose batch statistics are those of the
        full-resolution map), TeLU and ELAT then run at full resolution as in the authors' code, so
        outputs and gradients equal theirs up to rounding while the N×1024×H×W tensor (and its
        backward) never exists.
        """
        zs = []
        for (cbt, att), f, s in zip(self.branches(), features, _SCALES, strict=False):
            conv, bn = cbt.conv[0], cbt.conv[1]
            zs.append(att(cbt.activate(bn(upsample(conv(f), s)))))
        fused = self.fuse(torch.cat(zs, dim=1))
        return fused if logits else torch.sigmoid(fused)

    def fast_forward(self, features: tuple[torch.Tensor, ...]) -> torch.Tensor:
        """Inference-only head (BN must already be folded; eval semantics).

        Three exact rewrites avoid the 1024×H×W upsampled tensor and the concatenation:

        * a 1×1 conv followed by (folded) BN is affine per pixel, and bilinear align_corners
          interpolation weights sum to 1, so conv+BN runs at low resolution before upsampling;
        * the ELAT channel gate scales channels that the 1×1 fuse conv then sums, so it is folded
          into the fuse weights, and the per-pixel spatial gate factors out of that sum;
        * the three dilated 3×3 spatial convs and the fuse projection are one matrix product
          (28 maps) followed by cheap shifted sums.
        """
        width = self.fuse.weight.shape[1] // 4
        fuse_w = self.fuse.weight.view(4, width)
        if not _CHUNKED or exporting():
            # The chunked kernel writes through out= into views; tracers take the whole-tensor form.
            return self._fast_forward_whole(features, fuse_w)
        outputs = []
        for i in range(features[0].shape[0]):
            total: torch.Tensor | None = None
            for k, ((conv, att), f, s) in enumerate(zip(self.branches(), features, _SCALES, strict=True)):
                y = _pointwise_conv(conv.conv[0], f[i : i + 1])[0]
                taps = _tap_matrix(att)
                mean, projected, chunks = branch_maps(y, s, taps)
                H, W = projected.shape[1:]
                gate = att.fc(mean.unsqueeze(0))[0]
                spatial = dilated_sums(projected, _tap_bias(att)).unsqueeze(0)
                gate_map = torch.sigmoid(att.spatial_fuse(spatial))[0, 0]
                part = gate_map * fuse_projection(fuse_w[k] * gate, chunks, H, W)
                total = part if total is None else total + part
            assert total is not None
            outputs.append(total)
        return torch.sigmoid(torch.stack(outputs).unsqueeze(1))

    def _fast_forward_whole(self, features: tuple[torch.Tensor, ...], fuse_w: torch.Tensor) -> torch.Tensor:
        """Same maths as :meth:`fast_forward` on whole tensors (kept as the simpler reference)."""
        total: torch.Tensor | None = None
        for k, ((conv, att), f, s) in enumerate(zip(self.branches(), features, _SCALES, strict=False)):
            t = telu_inference(upsample(_pointwise_conv(conv.conv[0], f), s))
            n, c, h, w = t.shape
            gate = att.channel_gate(t)  # N×C
            taps = torch.cat(
                [att.spatial_conv1.weight, att.spatial_conv2.weight, att.spatial_conv3.weight], dim=0
            )  # 3×C×3×3
            rows = taps.permute(0, 2, 3, 1).reshape(27, c).expand(n, 27, c)
            rows = torch.cat([rows, (fuse_w[k] * gate).unsqueeze(1)], dim=1)  # N×28×C
            maps = torch.bmm(rows, t.view(n, c, h * w)).view(n, 28, h, w)
            spatial = _dilated_sums(maps[:, :27], h, w)
            spatial = spatial + torch.cat(
                [att.spatial_conv1.bias, att.spatial_conv2.bias, att.spatial_conv3.bias]
            ).view(1, 3, 1, 1)
            gate_map = torch.sigmoid(att.spatial_fuse(spatial))
            part = gate_map * maps[:, 27:28]
            total = part if total is None else total + part
        assert total is not None
        return torch.sigmoid(total)


def _tap_matrix(att: ELAT) -> torch.Tensor:
    """27×C matrix of the three dilated 3×3 spatial convs' weights (dilation-major, row-major taps)."""
    taps = torch.cat([att.spatial_conv1.weight, att.spatial_conv2.weight, att.spatial_conv3.weight], dim=0)
    return taps.permute(0, 2, 3, 1).reshape(27, -1).contiguous()


def _tap_bias(att: ELAT) -> torch.Tensor:
    return torch.cat([att.spatial_conv1.bias, att.spatial_conv2.bias, att.spatial_conv3.bias])


def _pointwise_conv(conv: nn.Conv2d, x: torch.Tensor) -> torch.Tensor:
    """1×1 conv with bias as one matrix product on a contiguous map (the BN is already folded)."""
    n, c, h, w = x.shape
    weight = conv.weight.reshape(conv.weight.shape[0], c)
    x = x.contiguous().view(n, c, h * w)
    y = torch.matmul(weight, x)
    if conv.bias is not None:
        y = y + conv.bias.view(1, -1, 1)
    return y.view(n, -1, h, w)


def _dilated_sums(maps: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """Turn 27 per-tap maps (3 dilations × 3×3 taps, row-major) into the 3 dilated conv outputs."""
    padded = F.pad(maps, (3, 3, 3, 3))
    outs = []
    for d in range(3):
        dil = d + 1
        acc = None
        for tap in range(9):
            dy, dx = (tap // 3 - 1) * dil, (tap % 3 - 1) * dil
            part = padded[:, 9 * d + tap, 3 + dy : 3 + dy + h, 3 + dx : 3 + dx + w]
            acc = part if acc is None else acc + part
        outs.append(acc)
    return torch.stack(outs, dim=1)


class MedDisSegStage1(nn.Module):
    """The authors' MedDisSeg1 (stage-1 pre-training network).

    ``forward(x)`` -> :class:`Stage1Output`; ``infer(x)`` -> :class:`Inference` (no uncertainty).
    ``x`` is N×3×H×W float in [0, 1], channel order as the weights expect (BGR for the authors'),
    H and W multiples of 16.
    """

    def __init__(self, config: NetworkConfig) -> None:
        super().__init__()
        if config.stage != 1:
            raise ValueError(f"MedDisSegStage1 needs a stage-1 config, got stage {config.stage}")
        self.config = config
        self.encoder = ResNetEncoder(config.encoder_width, config.encoder_blocks)
        self.head = Stage1Head(config.encoder_channels, config.head_channels)
        install_keymap(self, STAGE1_RULES)
        self._fused = FusedCache()

    def forward(self, x: torch.Tensor, *, logits: bool = False) -> Stage1Output:
        """Training output: ``Stage1Output(mask, encoder_features)``, mask N×1×H×W post-sigmoid
        (pre-sigmoid logits with ``logits=True``)."""
        feats = self.encoder(x)
        return Stage1Output(self.head(feats, logits=logits), feats[3])

    @torch.inference_mode()
    def infer(
        self, x: torch.Tensor, with_uncertainty: bool = False, *, fp32_encoder: bool = False
    ) -> Inference:
        """Fast inference with running BN statistics: ``Inference(mask, None)``.

        Stage 1 has no uncertainty map, so ``with_uncertainty`` is accepted and ignored.
        Runs on a cached BN-folded copy; the trainable module is never modified.
        ``fp32_encoder`` keeps the encoder in fp32 under low-precision autocast, as for stage 2;
        the head then runs in fp32 as always, so the whole pass is fp32.
        """
        net = self._fused.get(self)
        feats = encode(net.encoder, x, fp32_encoder)
        if fp32_encoder or any(f.dtype != torch.float32 for f in feats):
            # Under bf16/fp16 autocast the encoder (the convolutions: most of the time) runs in low
            # precision; the head's kernels write through out= into fp32 buffers, which autocast
            # does not cover, so the head runs in fp32 on the low-precision features.
            with torch.autocast(x.device.type, enabled=False):
                return Inference(net.head.fast_forward(tuple(f.float() for f in feats)), None)
        return Inference(net.head.fast_forward(feats), None)
