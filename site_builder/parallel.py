"""Work split across processes, for the stages that dominate large builds.

Processes are forked, so each worker starts with everything the parent had
built (the library, the page plans) without pickling it; only small chunk
descriptions go out and small results come back. Small sites stay in one
process, where forking would cost more than it saves.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from . import progress

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 400  # items; below this one process is faster
CHUNKS_PER_WORKER = 4  # uneven chunks (a few huge pages) still balance
# A chunk's result waits in the parent until the caller takes it: a warm build's workers send
# cached records faster than the parent loads them, and with four chunks a worker every record
# of the archive waited at once (73 MiB at 10,000 claims, most of the parent's peak at 100,000).
# Chunks of at most CHUNK_MOST items, at most IN_FLIGHT of them a worker out at a time, bound it.
CHUNK_MOST = 500
IN_FLIGHT = 2

_state = None
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_chunked(
    work: Callable[[object, Sequence[T]], R],
    items: Sequence[T],
    setup: Callable[[], object],
    workers: int | None = None,
    stage: str | None = None,
) -> Iterator[R]:
    """`work(state, chunk)` for chunks of `items`, `state = setup()` once per process.

    `work` must be a module-level function (it is sent to the workers by
    name); `setup` may be any callable, since forked workers inherit it.
    Results are yielded in the order of the chunks, each as soon as it and
    those before it are done; the workers run on while the caller uses one.
    """
    workers = workers or worker_count()
    if workers <= 1 or len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield work(setup(), items)
        return
    size = max(1, min(CHUNK_MOST, -(-len(items) // (workers * CHUNKS_PER_WORKER))))
    chunks = iter([items[i : i + size] for i in range(0, len(items), size)])
    context = multiprocessing.get_context("fork")
    pending, done = collections.deque(), 0
    # A collection in a worker writes to every object it scans, which copies
    # the parent's pages one by one: frozen, the library stays shared.
    with frozen():
        with context.Pool(workers, initializer=_start_worker, initargs=(setup, os.getpid())) as pool:

            def send() -> None:
                chunk = next(chunks, None)
                if chunk is not None:
                    pending.append((len(chunk), pool.apply_async(_run_chunk, ((work, chunk),))))

            for _ in range(workers * IN_FLIGHT):
                send()
            while pending:
                count, result = pending.popleft()
                value = result.get()
                send()
                done += count
                if stage:
                    progress.stage(stage, done, len(items))
                yield value


@contextlib.contextmanager
def frozen():
    """The objects alive now left out of garbage collection while the block runs.

    A build's library is millions of objects that live to its end, and every
    full collection scanned them all: decoding the search index's words
    while the library was held took 39.5 s at 10,000 claims, and 2.6 s with it frozen.
    """
    outer = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not outer:
            gc.unfreeze()


def die_with_parent(parent: int) -> None:
    """In a child: be killed when `parent` (the process that started it) ends, however it ends.

    A SIGKILLed build cannot stop its children itself, and a Pagefind left
    running wrote into the next build's staging folder. Linux does it for us
    (PR_SET_PDEATHSIG); the parent may have died before the request, hence
    the check after it. Elsewhere the children are waited for as before.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            return
        if os.getppid() != parent:
            os._exit(1)


def _start_worker(setup: Callable[[], object], parent: int) -> None:
    global _state
    die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the parent reports it once,
    # the workers must not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _state = setup()


def _run_chunk(job):
    work, chunk = job
    return work(_state, chunk)
