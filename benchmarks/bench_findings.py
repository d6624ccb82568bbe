"""What findings cost per mask change and per export, on real Kvasir-SEG masks.

Usage: python benchmarks/bench_findings.py [--images 40] [--kvasir ../shared/data/Kvasir-SEG]

Per image (median over the images, full resolution): the baseline is ``lesion_regions`` (what the
COCO export already computes per image); ``track`` is what the Findings panel does 300 ms after
a mask change when a schema exists (regions + matching of the stored findings + footprint
update); ``resolve`` the same without the write. Then a COCO export of all images without a
schema (as before) and with a schema and two values per lesion.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from meddisseg_studio.export.coco import write_coco
from meddisseg_studio.state import Project
from meddisseg_studio.state.lesions import lesion_regions

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "schema-example.toml"


def _median_ms(work, items) -> float:
    times = []
    for item in items:
        start = time.perf_counter()
        work(item)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=40)
    parser.add_argument(
        "--kvasir", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/Kvasir-SEG"
    )
    args = parser.parse_args()
    names = (args.kvasir / "val.txt").read_text().split()[: args.images]
    with tempfile.TemporaryDirectory(prefix="bench-findings-") as tmp:
        folder = Path(tmp) / "images"
        folder.mkdir()
        for name in names:
            shutil.copyfile(args.kvasir / "images" / name, folder / name)
        project = Project.open(folder)
        masks = {}
        for name in names:
            masks[name] = (cv2.imread(str(args.kvasir / "masks" / name), cv2.IMREAD_GRAYSCALE) > 127).astype(
                np.uint8
            )
            project.approve(name, masks[name])
        area = project.min_lesion_area
        sizes = [m.shape for m in masks.values()]
        print(
            f"{len(names)} Kvasir-SEG val images, {min(sizes)} .. {max(sizes)} px, "
            f"{sum(len(lesion_regions(m, area)) for m in masks.values())} lesions"
        )
        start = time.perf_counter()
        write_coco(project, Path(tmp) / "before.json")
        coco_before = time.perf_counter() - start
        project.findings.install_schema(SCHEMA)
        book = project.findings
        for name, mask in masks.items():
            for number in range(1, len(lesion_regions(mask, area)) + 1):
                book.set_value(name, mask, area, number, "paris", "0-Is")
                book.set_value(name, mask, area, number, "size_mm", "6")
        moved = {
            name: np.roll(mask, 3, axis=1) for name, mask in masks.items()
        }  # an edit: every footprint moves
        rows = [
            (
                "lesion_regions (baseline, per image)",
                _median_ms(lambda n: lesion_regions(masks[n], area), names),
            ),
            ("resolve (regions + match)", _median_ms(lambda n: book.resolve(n, masks[n], area), names)),
            (
                "track after an edit (+ footprint write)",
                _median_ms(lambda n: book.track(n, moved[n], area), names),
            ),
        ]
        start = time.perf_counter()
        write_coco(project, Path(tmp) / "after.json")
        coco_after = time.perf_counter() - start
        print(f"{'step':44s} {'median ms':>10s}")
        for label, ms in rows:
            print(f"{label:44s} {ms:10.1f}")
        print(f"{'COCO export, no schema (as before), total':44s} {1000 * coco_before:10.1f}")
        print(f"{'COCO export, schema + 2 values per lesion':44s} {1000 * coco_after:10.1f}")
        project.close()


if __name__ == "__main__":
    main()
