"""The ``--jobs`` pool: this process and spawned workers share the tasks; results in order."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from linker.scale import pool
from linker.scale.pool import shared_map


def placed(task: int, job: int) -> tuple[int, int]:
    """The task's result and the process that computed it."""
    return task * job, os.getpid()


def dies_in_a_worker(task: int, job: int) -> tuple[int, int]:
    """:func:`placed`, except that a worker given task ``job`` dies (as if killed)."""
    if task == job and multiprocessing.parent_process() is not None:
        os._exit(1)
    return placed(task, job)


def test_results_come_in_task_order_from_this_process_and_a_worker() -> None:
    results = list(shared_map(placed, list(range(6)), 10, 2))
    assert [value for value, _ in results] == [0, 10, 20, 30, 40, 50]
    processes = {pid for _, pid in results}
    assert os.getpid() in processes and len(processes) == 2  # the worker took task 0


def test_one_job_or_one_task_runs_here() -> None:
    assert list(shared_map(placed, [1, 2], 3, 1)) == [(3, os.getpid()), (6, os.getpid())]
    assert list(shared_map(placed, [4], 3, 4)) == [(12, os.getpid())]
    assert list(shared_map(placed, [], 3, 4)) == []


def test_tasks_no_worker_can_take_are_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_: object, **__: object) -> object:
        raise RuntimeError("cannot schedule new futures after shutdown")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", refused)
    results = list(shared_map(placed, list(range(5)), 2, 3))
    assert results == [(2 * n, os.getpid()) for n in range(5)]


def test_more_tasks_than_processes_each_once_in_order() -> None:
    assert pool.AHEAD >= 1  # results of this process held ahead of the order, at most
    assert list(shared_map(pow, [2, 3, 4, 5, 6, 7, 8], 2, 3)) == [4, 9, 16, 25, 36, 49, 64]


def test_tasks_planned_while_the_workers_start() -> None:
    """Tasks given as their plan: planned here once the workers are starting, then shared as
    given ones; a plan of one task (or one job) runs here."""
    planned: list[int] = []

    def plan(tasks: list[int]) -> list[int]:
        planned.append(len(tasks))
        return tasks

    results = list(shared_map(placed, lambda: plan(list(range(6))), 10, 2))
    assert [value for value, _ in results] == [0, 10, 20, 30, 40, 50]
    assert len({pid for _, pid in results}) == 2
    assert list(shared_map(placed, lambda: plan([4]), 3, 2)) == [(12, os.getpid())]
    assert list(shared_map(placed, lambda: plan([1, 2]), 3, 1)) == [
        (3, os.getpid()),
        (6, os.getpid()),
    ]
    assert planned == [6, 1, 2]


def test_a_plan_with_no_worker_to_start_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_: object, **__: object) -> object:
        raise RuntimeError("cannot schedule new futures after shutdown")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", refused)
    results = list(shared_map(placed, lambda: list(range(4)), 2, 2))
    assert results == [(2 * n, os.getpid()) for n in range(4)]


@pytest.mark.parametrize("fatal", [0, 3])
def test_a_worker_that_dies_leaves_its_tasks_to_this_process(fatal: int) -> None:
    """A dead worker breaks the pool: what it held and what was still to come are done here,
    and the results are the same, in order (task ``fatal`` kills the worker that takes it)."""
    results = list(shared_map(dies_in_a_worker, list(range(8)), fatal, 2))
    assert [value for value, _ in results] == [n * fatal for n in range(8)]
    assert results[fatal][1] == os.getpid()


# A worker that dies half-way through writing a message of more than PIPE_BUF bytes into the
# pool's pipe (as one killed at that moment): the pool's reader would wait for the rest for ever.
_DIES_WRITING_LARGE_MESSAGES = textwrap.dedent(
    """
    import multiprocessing, os, struct
    from multiprocessing import connection

    from linker.scale.pool import shared_map

    def send_or_die(self, buf):
        if len(buf) > 4096:
            self._send(struct.pack("!i", len(buf)) + bytes(buf)[: len(buf) // 2])
            os._exit(1)
        SEND(self, buf)

    SEND = connection.Connection._send_bytes

    def large(task, size):
        if multiprocessing.parent_process() is not None:
            connection.Connection._send_bytes = send_or_die
        return bytes(size) + bytes([task])

    if __name__ == "__main__":
        results = list(shared_map(large, list(range(4)), 100_000, 2))
        assert results == [bytes(100_000) + bytes([n]) for n in range(4)]
        print("same results")
    """
)


def test_a_large_result_never_travels_the_pools_pipe(tmp_path: Path) -> None:
    """A worker's result reaches this process through a file: what a worker writes into the
    pipe is a few bytes, written whole or not at all, so a worker killed at any moment cannot
    leave the pool waiting for the rest of a message (the run hung before)."""
    script = tmp_path / "large_results.py"
    script.write_text(_DIES_WRITING_LARGE_MESSAGES)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "same results"
