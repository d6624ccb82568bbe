"""Stage-2 network: the full Med-DisSeg (the authors' MedDisSeg2)."""

from __future__ import annotations

import torch
from torch import nn

from meddisseg_core.nn.blocks import upsample
from meddisseg_core.nn.cdfa import CDFA, CDFAPreprocess
from meddisseg_core.nn.config import NetworkConfig
from meddisseg_core.nn.decoder import DecoderBlock
from meddisseg_core.nn.encoder import ResNetEncoder, encode
from meddisseg_core.nn.fem import DilatedFEM
from meddisseg_core.nn.fusion import FusedCache
from meddisseg_core.nn.heads import AuxiliaryHead, DecoupleLayer, OutputBlock
from meddisseg_core.nn.keymap import STAGE2_RULES, install_keymap
from meddisseg_core.nn.outputs import Inference, Stage2Output

# Guidance for CDFA k is upsampled from stride 16 to the stride of encoder level k.
_GUIDE_SCALES = {4: 1, 3: 2, 2: 4, 1: 8}

# state_dict key prefixes (authors' names) used only for training; an inference-only file may
# omit them (see meddisseg_core.checkpoint).
TRAINING_ONLY_PREFIXES = ("aux_head.", "decouple_layer.cbt_uc.")
# The part of those that ``infer(with_uncertainty=True)`` runs: the uncertainty branch of the
# decoupling layer and its auxiliary head. A shipped file may keep them (issue 20) so that the
# review queue ranks by the model's own uncertainty rather than by the entropy of its mask.
UNCERTAINTY_PREFIXES = ("decouple_layer.cbt_uc.", "aux_head.branch_uc.")


class MedDisSegStage2(nn.Module):
    """The authors' MedDisSeg2.

    ``forward(x)`` -> :class:`Stage2Output` (mask, fg, bg, uncertainty, encoder_features), all maps
    N×1×H×W probabilities. ``infer(x, with_uncertainty=False)`` -> :class:`Inference`, computing only
    the mask path (plus the uncertainty branch when asked). ``x`` is N×3×H×W float in [0, 1],
    H and W multiples of 16.
    """

    def __init__(self, config: NetworkConfig) -> None:
        super().__init__()
        if config.stage != 2:
            raise ValueError(f"MedDisSegStage2 needs a stage-2 config, got stage {config.stage}")
        self.config = config
        d = config.decoder_channels
        enc = config.encoder_channels
        self.encoder = ResNetEncoder(config.encoder_width, config.encoder_blocks)
        for k, c in enumerate(enc, start=1):
            self.add_module(f"fem{k}", DilatedFEM(c, d))
        self.decouple = DecoupleLayer(enc[3], d)
        for k in (4, 3, 2, 1):
            self.add_module(f"guide_fg{k}", CDFAPreprocess(d, _GUIDE_SCALES[k]))
            self.add_module(f"guide_bg{k}", CDFAPreprocess(d, _GUIDE_SCALES[k]))
        self.aux = AuxiliaryHead(d)
        self.cdfa4 = CDFA(d, d, config.attention_heads)
        self.cdfa3 = CDFA(2 * d, d, config.attention_heads)
        self.cdfa2 = CDFA(2 * d, d, config.attention_heads)
        self.cdfa1 = CDFA(2 * d, d, config.attention_heads)
        self.decoder_small = DecoderBlock(d)
        self.decoder_middle = DecoderBlock(d)
        self.decoder_large = DecoderBlock(d)
        self.output = OutputBlock(d)
        install_keymap(self, STAGE2_RULES)
        self._fused = FusedCache()

    def _mask(
        self, feats: tuple[torch.Tensor, ...], f_fg: torch.Tensor, f_bg: torch.Tensor, logits: bool = False
    ) -> torch.Tensor:
        """Mask path from the encoder features and the decoupled fg / bg features."""
        d1, d2, d3, d4 = (getattr(self, f"fem{k}")(f) for k, f in enumerate(feats, start=1))
        guides = {
            k: (getattr(self, f"guide_fg{k}")(f_fg), getattr(self, f"guide_bg{k}")(f_bg))
            for k in (4, 3, 2, 1)
        }
        f4 = self.cdfa4(d4, *guides[4])
        f3 = self.cdfa3(torch.cat([d3, upsample(f4, 2)], dim=1), *guides[3])
        f2 = self.cdfa2(torch.cat([d2, upsample(f3, 2)], dim=1), *guides[2])
        f1 = self.cdfa1(torch.cat([d1, upsample(f2, 2)], dim=1), *guides[1])
        small = self.decoder_small(f2, f1)
        middle = self.decoder_middle(f3, f2)
        large = self.decoder_large(f4, f3)
        return self.output(small, middle, large, logits=logits)

    def forward(self, x: torch.Tensor, *, logits: bool = False) -> Stage2Output:
        """Training output: ``Stage2Output(mask, fg, bg, uncertainty, encoder_features)``.

        With ``logits=True`` the four maps are the pre-sigmoid logits instead of probabilities
        (the same network; the trainer computes its losses on them in fp32).
        """
        feats = self.encoder(x)
        f_fg, f_bg, f_uc = self.decouple(feats[3])
        fg, bg, uc = self.aux(f_fg, f_bg, f_uc, logits=logits)
        return Stage2Output(self._mask(feats, f_fg, f_bg, logits=logits), fg, bg, uc, feats[3])

    @torch.inference_mode()
    def infer(
        self, x: torch.Tensor, with_uncertainty: bool = False, *, fp32_encoder: bool = False
    ) -> Inference:
        """Fast inference with running BN statistics: ``Inference(mask, uncertainty | None)``.

        Skips the auxiliary heads and the uncertainty branch unless ``with_uncertainty``; the
        uncertainty map is then the auxiliary uncertainty head's N×1×H×W probability. Runs on a
        cached BN-folded channels_last copy; the trainable module is never modified.

        ``fp32_encoder``: under bf16/fp16 autocast, the encoder still runs in fp32 and only the
        decoder in low precision. The encoder's rounding is what moves bf16 masks (measured on the
        shipped model: the one Kvasir-SEG val image at Dice 0.94 against fp32 goes to 0.999), while
        the decoder at full and half resolution holds most of the time.
        """
        net = self._fused.get(self)
        feats = encode(net.encoder, x, fp32_encoder)
        x4 = feats[3]
        f_fg = net.decouple.cbt_fg(x4)
        f_bg = net.decouple.cbt_bg(x4)
        mask = net._mask(feats, f_fg, f_bg)
        uncertainty = None
        if with_uncertainty:
            uncertainty = net.aux.branch_uc(net.decouple.cbt_uc(x4))
        return Inference(mask.contiguous(), None if uncertainty is None else uncertainty.contiguous())
