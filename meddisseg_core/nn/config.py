"""Size configuration of the Med-DisSeg networks."""

from __future__ import annotations

from dataclasses import dataclass

from meddisseg_core.errors import ConfigError


@dataclass(frozen=True)
class NetworkConfig:
    """Which network to build and how wide it is.

    ``paper(stage)`` reproduces the authors' networks exactly (their state-dict tables);
    ``tiny(stage)`` is a small network with the same code paths, for fast CPU tests.

    * ``stage``: 1 (encoder + ELAT head) or 2 (full Med-DisSeg with CDFA decoder).
    * ``encoder_blocks``: Bottleneck blocks in ResNet stages 1..3 (ResNet-50: 3, 4, 6).
    * ``encoder_width``: stem width; stage k outputs ``4 * width * 2**(k-1)`` channels.
    * ``decoder_channels``: width of FEM, CDFA, decoder and output block (paper 128).
    * ``attention_heads``: CDFA heads; ``decoder_channels`` must be divisible by it.
    """

    stage: int
    encoder_blocks: tuple[int, int, int] = (3, 4, 6)
    encoder_width: int = 64
    decoder_channels: int = 128
    attention_heads: int = 4

    def __post_init__(self) -> None:
        if self.stage not in (1, 2):
            raise ConfigError(f"NetworkConfig.stage must be 1 or 2, got {self.stage!r}")
        if len(self.encoder_blocks) != 3 or any(b < 1 for b in self.encoder_blocks):
            raise ConfigError(
                f"NetworkConfig.encoder_blocks must be 3 positive ints, got {self.encoder_blocks!r}"
            )
        if self.encoder_width < 1:
            raise ConfigError(f"NetworkConfig.encoder_width must be positive, got {self.encoder_width!r}")
        if self.decoder_channels < 2 or self.decoder_channels % 2:
            raise ConfigError(
                f"NetworkConfig.decoder_channels must be an even number >= 2, got {self.decoder_channels!r}"
            )
        if self.attention_heads < 1 or self.decoder_channels % self.attention_heads:
            raise ConfigError(
                f"NetworkConfig.attention_heads ({self.attention_heads!r}) must divide "
                f"decoder_channels ({self.decoder_channels!r})"
            )

    @classmethod
    def paper(cls, stage: int) -> NetworkConfig:
        """The authors' network of ``stage`` (ResNet-50 encoder, 128-channel decoder, 4 heads)."""
        return cls(stage=stage)

    @classmethod
    def tiny(cls, stage: int) -> NetworkConfig:
        """A network of a few hundred kB with every code path of the paper network."""
        return cls(
            stage=stage, encoder_blocks=(1, 1, 1), encoder_width=8, decoder_channels=16, attention_heads=2
        )

    @property
    def encoder_channels(self) -> tuple[int, int, int, int]:
        """Channels of the four encoder outputs (layer0..layer3)."""
        w = self.encoder_width
        return (w, 4 * w, 8 * w, 16 * w)

    @property
    def head_channels(self) -> int:
        """Width of the stage-1 head branches (64 in the paper)."""
        return self.decoder_channels // 2
