"""Work split across processes (site_builder/parallel.py): results in order, and few of them waiting at once.

A warm build's workers send cached records faster than the parent loads
them; results the parent has not taken yet must not pile up, or its peak
memory holds the whole archive twice.
"""

from __future__ import annotations

import os
import time

from site_builder import parallel


def _mark(folder: str, chunk: list[int]) -> list[int]:
    with open(os.path.join(folder, f"{chunk[0]:06d}"), "w", encoding="ascii"):
        pass
    return [item * 2 for item in chunk]


def test_results_come_in_order_and_no_more_chunks_start_than_are_taken(tmp_path):
    items = list(range(parallel.CHUNK_MOST * 12))
    chunks = parallel.run_chunked(_mark, items, lambda: str(tmp_path), workers=2)
    first = next(chunks)
    time.sleep(1.0)  # a slow caller: the workers have long finished every chunk they were given
    started = len(os.listdir(tmp_path))
    assert started <= 2 * parallel.IN_FLIGHT + 1, f"{started} of 12 chunks done while the caller held one result"
    rest = [value for chunk in chunks for value in chunk]
    assert first + rest == [item * 2 for item in items]
    assert len(os.listdir(tmp_path)) == 12  # each chunk at most CHUNK_MOST items


def test_a_small_job_runs_in_this_process():
    pid = os.getpid()
    assert list(parallel.run_chunked(lambda state, chunk: (os.getpid(), len(chunk)), [1, 2, 3], lambda: None)) == [
        (pid, 3)
    ]
