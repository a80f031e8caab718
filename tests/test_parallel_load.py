"""A large data folder is parsed in worker processes (`explainer.core.processes.PARALLEL_FILES`): the
dataset and every reported problem must be exactly those of parsing it in one process."""

from __future__ import annotations

import multiprocessing

import pytest
from conftest import fresh_python

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="this platform cannot fork workers"
)

_COMPARE = """
    import tempfile
    from pathlib import Path
    from explainer.core import processes
    from explainer.checking.parse_cache import plain
    from explainer.checking.validate import validate_data
    from tests.hostile.harness import CASES, case_names, prepare

    processes.usable_cpus = lambda: 2
    FOLDERS = ["data", "tests/fixtures/mini", "tests/fixtures/hostile-site"]

    def snapshot(folder):
        dataset, report = validate_data(folder)
        records = {}
        for record in dataset.all_documents():
            model = record.model.model_dump() if record.model is not None else None
            document = record.document
            poisoned = sorted(map(repr, document.poisoned))
            where = (document.path, document.data, document.positions, document.key_positions, poisoned)
            facts = plain(record.facts)  # named tuples here, plain tuples from a worker: equal, not alike
            records[(record.collection, record.id)] = (record.path, model, where, facts)
        broken = {name: sorted(ids) for name, ids in dataset.broken.items()}
        # repr: a NaN in the data (a hostile case has one) is equal to nothing, not even itself
        return repr((sorted(d.format() for d in report.diagnostics), records, broken))

    def both(folder):
        processes.PARALLEL_FILES = 10**9
        one = snapshot(folder)
        processes.PARALLEL_FILES = 1
        two = snapshot(folder)
        return one, two

    compared = 0
    for folder in FOLDERS:
        one, two = both(folder)
        assert one == two, folder
        compared += 1
    with tempfile.TemporaryDirectory() as work:
        for name in case_names():
            workdir = Path(work) / name
            prepare(CASES / name, workdir)
            one, two = both(workdir / "data")
            assert one == two, name
            compared += 1
    print("compared", compared)
"""


@pytest.mark.slow
def test_parsing_in_workers_gives_the_same_dataset_and_report() -> None:
    """The shipped data, the build fixtures and every case of the hostile corpus."""
    out = fresh_python(_COMPARE)
    assert out.split()[0] == "compared"
    assert int(out.split()[1]) > 40
