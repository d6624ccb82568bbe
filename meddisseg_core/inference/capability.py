"""What the compute device can do, as far as precision and runtime choices care.

"auto" precision is chosen per *capability*, not per device type: a CPU with native bf16
instructions (AVX512-BF16, AMX) runs a bf16 network about twice as fast as fp32, while on an
AVX2-only CPU bf16 is emulated and slower. The facts come from what torch reports
(``torch.backends.cpu.get_cpu_capability()``: "AVX2", "AVX512", ...; it does not tell bf16 apart)
and from the CPU flags the OS reports (``/proc/cpuinfo`` on Linux, ``sysctl`` on macOS). Where the
OS tells nothing (Windows), only torch's answer is used, and bf16 is never assumed.
"""

from __future__ import annotations

import functools
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

import torch

# CPU classes, from the best bf16 support down; each has its own row in measured.py.
CPU_CLASSES = ("amx", "avx512_bf16", "avx512", "avx2", "other")


@dataclass(frozen=True)
class Capability:
    """One device's facts: ``kind`` "cpu" or "cuda", its ``name``, and its class.

    ``cls`` is one of :data:`CPU_CLASSES` for a CPU, or the GPU's name for CUDA (the GPU
    benchmark's facts are per GPU kind). ``torch_capability`` is torch's SIMD level ("AVX512");
    ``flags`` the CPU flags that decided the class.
    """

    kind: str
    name: str
    cls: str
    torch_capability: str = ""
    flags: frozenset[str] = frozenset()

    @property
    def native_bf16(self) -> bool:
        return self.cls in ("amx", "avx512_bf16")

    def describe(self) -> str:
        """``this CPU has AVX512-BF16``: the fact the choice rests on."""
        if self.kind == "cuda":
            return f"this GPU is an {self.name}"
        shown = {
            "amx": "AMX",
            "avx512_bf16": "AVX512-BF16",
            "avx512": "AVX-512 but no BF16",
            "avx2": "AVX2 but no AVX-512",
            "other": "no AVX2",
        }
        return f"this CPU has {shown.get(self.cls, self.cls)}"


@functools.lru_cache(maxsize=1)
def os_cpu_flags() -> frozenset[str]:
    """The CPU feature flags the OS reports, lower case (empty where it reports none)."""
    cpuinfo = Path("/proc/cpuinfo")
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith(("flags", "features")):
                return frozenset(line.split(":", 1)[1].lower().split())
    except OSError:
        pass
    if platform.system() == "Darwin":  # Intel Macs: sysctl lists the same names
        try:
            text = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            text = ""
        return frozenset(f.replace(".", "_") for f in text.lower().split())
    return frozenset()


def torch_cpu_capability() -> str:
    try:
        return str(torch.backends.cpu.get_cpu_capability())
    except Exception:  # older torch builds lack it; the flags still decide
        return ""


def cpu_class(flags: frozenset[str], torch_capability: str) -> str:
    """The class of a CPU from its OS flags and torch's capability string.

    bf16 classes need the OS flag (torch says only "AVX512"); AVX2 and AVX-512 are believed
    from either source, so a CPU whose OS reports no flags is still not treated as bf16-capable.
    """
    cap = torch_capability.upper()
    if "amx_bf16" in flags:
        return "amx"
    if "avx512_bf16" in flags or "avx512bf16" in flags:
        return "avx512_bf16"
    if "avx512f" in flags or cap.startswith("AVX512"):
        return "avx512"
    if "avx2" in flags or cap == "AVX2":
        return "avx2"
    return "other"


def detect_cpu() -> Capability:
    """The capability of this machine's CPU."""
    from meddisseg_core.inference.device import cpu_name

    flags, cap = os_cpu_flags(), torch_cpu_capability()
    keep = frozenset(f for f in flags if f.startswith(("avx", "amx")))
    return Capability("cpu", cpu_name(), cpu_class(flags, cap), cap, keep)


def detect(device: torch.device) -> Capability:
    """The capability of ``device`` (a CPU or a CUDA GPU)."""
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        return Capability("cuda", name, name)
    return detect_cpu()
