"""meddisseg_core.train has no import cycles (issue 9: trainer.py and final.py imported each other).

Checked on the import graph that import-linter uses (grimp), type-checking imports included.
"""

from __future__ import annotations

import grimp


def test_train_modules_import_no_cycle() -> None:
    graph = grimp.build_graph("meddisseg_core", include_external_packages=False)
    modules = sorted(m for m in graph.modules if m.startswith("meddisseg_core.train."))
    cycles = []
    for importer in modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported.startswith("meddisseg_core.train.") and graph.chain_exists(imported, importer):
                cycles.append((importer, imported))
    assert not cycles, cycles
    assert not graph.chain_exists("meddisseg_core.train.final", "meddisseg_core.train.trainer")
