"""Build the .deb and the .tar.gz from the bundle folder (run by packaging/build.sh).

The .deb installs the folder as /opt/meddisseg-studio, launchers in /usr/bin, the desktop entry and
the icons in /usr/share; ``Depends:`` comes from depends.py (ldd). The tarball is the same folder,
with the desktop entry and icons inside (``share/``) for a per-user menu entry without root.

Usage: ``python packaging/linux/make_deb.py BUNDLE_DIR ICON_DIR OUT_DIR --version V --variant cpu|cuda
--depends "..."``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PREFIX = "/opt/meddisseg-studio"
PROGRAMS = ("meddisseg-studio", "meddisseg")
ICON_SIZES = (16, 32, 48, 128, 256, 512)


def desktop_entry(exec_path: str) -> str:
    template = (HERE / "meddisseg-studio.desktop").read_text(encoding="utf-8")
    return template.replace("@EXEC@", exec_path)


def add_share(root: Path, icons: Path, exec_path: str) -> None:
    """share/applications/meddisseg-studio.desktop and share/icons/hicolor/... under ``root``."""
    applications = root / "share" / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    (applications / "meddisseg-studio.desktop").write_text(desktop_entry(exec_path), encoding="utf-8")
    hicolor = root / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icons / f"meddisseg-studio-{size}.png", target / "meddisseg-studio.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(icons / "meddisseg-studio.svg", scalable / "meddisseg-studio.svg")


def control(package: str, version: str, depends: str, installed_kib: int, variant: str) -> str:
    other = "meddisseg-studio-cuda" if package == "meddisseg-studio" else "meddisseg-studio"
    flavour = "CPU-only PyTorch" if variant == "cpu" else "PyTorch with CUDA (NVIDIA GPUs; falls back to CPU)"
    return (
        f"Package: {package}\n"
        f"Version: {version}\n"
        "Architecture: amd64\n"
        "Section: science\n"
        "Priority: optional\n"
        "Maintainer: Med-DisSeg Studio maintainers <meddisseg-studio@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {depends}\n"
        f"Conflicts: {other}\n"
        f"Replaces: {other}\n"
        "Description: desktop annotation tool for 2D medical segmentation\n"
        " Opens a folder of images, proposes masks with the Med-DisSeg network and lets\n"
        " clinicians edit, review, approve and export them. Self-contained: Python,\n"
        f" {flavour} and Qt are bundled under {PREFIX}.\n"
        " After installing, check it with: meddisseg-studio --self-test\n"
    )


def installed_size_kib(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024 + 1


def build_deb(bundle: Path, icons: Path, out_dir: Path, args: argparse.Namespace) -> Path:
    stage = out_dir.parent / "build" / f"deb-{args.variant}"
    if stage.exists():
        shutil.rmtree(stage)
    target = stage / PREFIX.lstrip("/")
    target.parent.mkdir(parents=True)
    # Hard links: the staging copy of a ~1 GB folder costs no space and no time.
    subprocess.run(["cp", "-al", str(bundle), str(target)], check=True)
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for program in PROGRAMS:
        launcher = bin_dir / program
        launcher.write_text(f'#!/bin/sh\nexec {PREFIX}/{program} "$@"\n', encoding="utf-8")
        launcher.chmod(0o755)
    add_share(stage / "usr", icons, "meddisseg-studio")
    package = "meddisseg-studio" if args.variant == "cpu" else "meddisseg-studio-cuda"
    debian = stage / "DEBIAN"
    debian.mkdir()
    text = control(package, args.version, args.depends, installed_size_kib(stage), args.variant)
    (debian / "control").write_text(text, encoding="utf-8")
    deb = out_dir / f"{package}_{args.version}_amd64.deb"
    level = {"zstd": ["-z9"], "xz": ["-z6"], "gzip": ["-z6"]}[args.compression]
    command = ["dpkg-deb", "--root-owner-group", f"-Z{args.compression}", *level, "-b", str(stage), str(deb)]
    subprocess.run(command, check=True, env=dict(os.environ, SOURCE_DATE_EPOCH="0"))
    shutil.rmtree(stage)
    return deb


def build_tarball(bundle: Path, icons: Path, out_dir: Path, args: argparse.Namespace) -> Path:
    # The per-user menu entry (share/install-menu-entry.sh) points Exec at the unpacked folder.
    add_share(bundle, icons, "@BUNDLE@/meddisseg-studio")
    script = bundle / "share" / "install-menu-entry.sh"
    shutil.copyfile(HERE / "install-menu-entry.sh", script)
    script.chmod(0o755)
    tarball = out_dir / f"meddisseg-studio-{args.version}-linux-x86_64-{args.variant}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=bundle.name)
    return tarball


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("icons", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--version", required=True)
    parser.add_argument("--variant", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--depends", required=True)
    # zstd -9: on this project's machine 20x less CPU than xz -6 for a 20% larger file (150 MB of
    # libtorch: 37 MB in 7 s against 31 MB in 142 s). Every target (glibc >= 2.35: Debian 12,
    # Ubuntu 22.04+) has a dpkg that reads zstd; xz suits a release built once and copied often.
    parser.add_argument("--compression", default="zstd", choices=("zstd", "xz", "gzip"))
    args = parser.parse_args(argv)
    print(build_deb(args.bundle, args.icons, args.out_dir, args))
    print(build_tarball(args.bundle, args.icons, args.out_dir, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
