"""The process pool of ``--jobs N`` (``check`` and ``extract``): this process and N - 1
spawned workers share the tasks, and the results come out in task order.

This process is one of the N: it has its imports done and its models loaded when the pool
starts, while a spawned worker pays its own start (about 0.3 s of CPU, its imports), so this
process works from the first moment instead of waiting. A worker takes the next task as soon as
it is free (a callback of its last task submits the next one); this process takes the next
task whenever the result due next is not ready, up to :data:`AHEAD` results of its own held
ahead of the order (so memory stays bounded when a worker is slow on a large file). Where the
tasks take planning (the split of a large file), the workers are started first and start up
while this process plans.

Workers use the ``spawn`` start method: they start clean (no inherited SQLite handles or event
loop) and behave as on macOS and Windows. A worker that dies (killed, out of memory) breaks the
pool: every task it had not returned, and every task still to come, is then done in this
process, so the run ends with the same results, only later. A worker's result is written to a
file of a temporary directory, and only its completion travels back through the pool's pipe:
a worker killed while it wrote a large result into the pipe would leave the pool's reader
waiting for the rest of the message for ever (the dead worker is never noticed), while a message
of a few bytes is written whole or not at all. The results held on disk until they are due
also keep this process's memory small when the workers run ahead.
"""

from __future__ import annotations

import importlib
import multiprocessing
import pickle
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
J = TypeVar("J")
R = TypeVar("R")

AHEAD = 2


def shared_map(
    function: Callable[[T, J], R],
    tasks: Sequence[T] | Callable[[], Sequence[T]],
    job: J,
    jobs: int,
    *,
    start_first: int | None = None,
) -> Iterator[R]:
    """``function(task, job)`` for every task, in ``jobs`` processes, results in task order.
    ``function`` must be a module-level function (it travels by name to the workers).
    ``tasks`` may be the function that plans them (a scan of a large file): ``start_first``
    workers (all ``jobs - 1`` unless told) then start, importing ``function``'s module, while it
    runs here; the others start if the tasks need them."""
    if callable(tasks) and jobs < 2:
        tasks = tasks()
    if not callable(tasks) and min(jobs, len(tasks)) < 2:
        for task in tasks:
            yield function(task, job)
        return
    context = multiprocessing.get_context("spawn")
    with (
        tempfile.TemporaryDirectory(prefix="trial-linker-jobs-") as directory,
        ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context) as pool,
    ):
        if callable(tasks):
            _start_workers(
                pool, jobs - 1 if start_first is None else start_first, function.__module__
            )
            tasks = tasks()
        workers = min(jobs, len(tasks)) - 1
        yield from _shared(_Pool(pool, Path(directory)), function, tasks, job, workers)


def _start_workers(pool: ProcessPoolExecutor, count: int, module: str) -> None:
    """Start ``count`` workers, each importing ``module`` (each submit starts one)."""
    for _ in range(count):
        try:
            pool.submit(importlib.import_module, module)
        except RuntimeError:  # a broken pool: its tasks are done here (see _shared)
            return


class _Pool:
    """The executor, and the directory its workers write their results to."""

    def __init__(self, executor: ProcessPoolExecutor, directory: Path) -> None:
        self.executor, self.directory = executor, directory

    def submit(self, function: Callable[[T, J], R], index: int, task: T, job: J) -> Future[None]:
        """Task ``index`` given to a worker, which writes its result to :meth:`result`'s file."""
        return self.executor.submit(_to_file, function, task, job, self._path(index))

    def result(self, index: int) -> Any:
        """The result of task ``index``, written by the worker that did it (unpickled)."""
        path = self._path(index)
        result = pickle.loads(path.read_bytes())
        path.unlink()
        return result

    def _path(self, index: int) -> Path:
        return self.directory / f"{index}.pickle"


def _to_file(function: Callable[[T, J], object], task: T, job: J, path: Path) -> None:
    """In a worker: ``function(task, job)`` written to ``path`` (its completion, returned to
    the pool, is a message of a few bytes)."""
    result = pickle.dumps(function(task, job), protocol=pickle.HIGHEST_PROTOCOL)
    partial = path.with_suffix(".partial")
    partial.write_bytes(result)
    partial.replace(path)


def _shared(
    pool: _Pool,
    function: Callable[[T, J], R],
    tasks: Sequence[T],
    job: J,
    workers: int,
) -> Iterator[R]:
    """:func:`shared_map` on a started pool, ``workers`` of whose processes take tasks (none:
    every task is done here)."""
    lock = threading.Lock()
    pending = deque(enumerate(tasks))
    futures: dict[int, Future[None]] = {}

    def submit_next(_: object = None) -> None:
        with lock:
            if not pending:
                return
            index, task = pending.popleft()
            try:
                future = pool.submit(function, index, task, job)
            except RuntimeError:  # no worker can take it (a broken pool): done here
                pending.appendleft((index, task))
                return
            futures[index] = future
        future.add_done_callback(submit_next)

    try:
        for _ in range(workers):
            submit_next()
        yield from _in_order(pool, function, job, tasks, pending, futures, lock)
    finally:
        with lock:
            pending.clear()


def _in_order(
    pool: _Pool,
    function: Callable[[T, J], R],
    job: J,
    tasks: Sequence[T],
    pending: deque[tuple[int, T]],
    futures: dict[int, Future[None]],
    lock: threading.Lock,
) -> Iterator[R]:
    here: dict[int, R] = {}  # results computed in this process, not yet due
    for due in range(len(tasks)):
        while due not in here:
            with lock:
                future = futures.get(due)
                task = None
                if (future is None or not future.done()) and pending and len(here) < AHEAD:
                    task = pending.popleft()
            if task is not None:
                index, argument = task
                here[index] = function(argument, job)
                continue
            if future is None:  # the task due is in this process's hands: not reached
                raise RuntimeError(f"task {due} was not scheduled")
            try:
                future.result()
                result: R = pool.result(due)
            except BrokenProcessPool:  # its worker died: the task is done again here
                result = function(tasks[due], job)
            with lock:
                del futures[due]
            yield result
            break
        else:
            yield here.pop(due)
