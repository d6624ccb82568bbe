"""The system libraries a built bundle needs, found with ``ldd``, as Debian packages for ``Depends:``.

Every ELF file in the bundle folder is run through ``ldd`` with the bundle's own library folder on
the search path (as the PyInstaller bootloader sets it), so only libraries that the bundle does not
ship remain: X11/xcb, OpenGL, fonts, glibc... A library found on this machine is mapped to its
package with ``dpkg -S`` (what is really installed); one not found (the Qt xcb plugin's
``libxcb-icccm.so.4`` on a machine without a desktop) by Debian's naming policy, checked against
``apt-cache``. The lowest libc6 version is the newest ``GLIBC_2.N`` symbol version referenced.

Usage: ``python packaging/linux/depends.py BUNDLE_DIR [--report FILE]``; prints the Depends value.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from meddisseg_studio.qt_platform import XCB_PLUGIN, debian_package, parse_ldd, run_ldd

_GLIBC = re.compile(rb"GLIBC_2\.(\d+)")


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as stream:
                if stream.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def library_dirs(bundle: Path, elfs: list[Path]) -> list[str]:
    return sorted({str(p.parent) for p in elfs if ".so" in p.name} | {str(bundle / "_internal")})


def owning_package(path: str) -> str | None:
    """The installed package holding ``path`` (dpkg records /lib or /usr/lib: try both spellings)."""
    candidates = {path, os.path.realpath(path)}
    candidates |= {c.removeprefix("/usr") for c in list(candidates) if c.startswith("/usr/lib")}
    candidates |= {"/usr" + c for c in list(candidates) if c.startswith("/lib")}
    for candidate in sorted(candidates):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout:
            return result.stdout.split(":", 1)[0].strip()
    return None


def package_known(name: str) -> bool:
    result = subprocess.run(["apt-cache", "show", name], capture_output=True, text=True, check=False)
    return result.returncode == 0 and "Package:" in result.stdout


def min_glibc(elfs: list[Path]) -> str:
    newest = max((int(m) for p in elfs for m in _GLIBC.findall(p.read_bytes())), default=17)
    return f"2.{newest}"


def analyse(bundle: Path) -> tuple[dict[str, set[str]], list[str], dict[str, set[str]], str]:
    """(package -> sonames, sonames the xcb plugin is missing here, soname -> users, min glibc)."""
    elfs = elf_files(bundle)
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(library_dirs(bundle, elfs)))
    users: dict[str, set[str]] = defaultdict(set)
    where: dict[str, str | None] = {}
    xcb_missing: list[str] = []
    for elf in elfs:
        for lib in parse_ldd(run_ldd(elf, env)):
            if lib.path is not None and Path(lib.path).resolve().is_relative_to(bundle.resolve()):
                continue  # shipped in the bundle
            where.setdefault(lib.soname, lib.path)
            users[lib.soname].add(str(elf.relative_to(bundle)))
            if elf.name == XCB_PLUGIN and lib.path is None:
                xcb_missing.append(lib.soname)
    packages: dict[str, set[str]] = defaultdict(set)
    for soname, path in where.items():
        package = owning_package(path) if path else None
        if package is None:
            package = debian_package(soname)
            if not package_known(package):
                print(f"warning: no package known for {soname} (guessed {package})", file=sys.stderr)
        packages[package].add(soname)
    return packages, sorted(xcb_missing), users, min_glibc(elfs)


def depends_line(packages: dict[str, set[str]], glibc: str) -> str:
    names = sorted(packages)
    return ", ".join(f"{name} (>= {glibc})" if name == "libc6" else name for name in names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--report", type=Path, help="write which file needs which library here")
    args = parser.parse_args(argv)
    packages, xcb_missing, users, glibc = analyse(args.bundle)
    if args.report:
        lines = [f"# libc6 >= {glibc}; xcb plugin libraries missing on the build machine: {xcb_missing}"]
        for package in sorted(packages):
            for soname in sorted(packages[package]):
                first = sorted(users[soname])[0]
                lines.append(f"{package}\t{soname}\t{len(users[soname])} files, e.g. {first}")
        args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(depends_line(packages, glibc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
