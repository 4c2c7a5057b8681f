# Copyright (c) mhash contributors. All rights reserved.
"""Running one benchmark cell: train, test, time, collect the results.

A cell is described by a *task* dict (JSON-friendly)::

    dict(cell_id=..., config='path/to/config.py', work_dir='...',
         cfg_options={'model.num_bits': 16, 'randomness.seed': 0, ...})

and runs the same path as ``tools/train.py``: the tool's ``build_config``
turns the task into a config (``--work-dir``, ``--overwrite``,
``--cfg-options``), then :func:`run_built_config` trains and tests it.
Executors run a task in this process (:class:`InProcessCellExecutor`) or in
a child process per cell (:class:`SubprocessCellExecutor`; a crash or a
leak of one cell cannot affect the others).
"""
import json
import os
import os.path as osp
import subprocess
import sys
import time
from typing import Callable, List, Optional

from mhash.engine.outputs import atomic_write_json

from .cell_timer_hook import CellTimerHook

__all__ = ['run_built_config', 'InProcessCellExecutor',
           'SubprocessCellExecutor', 'CellFailedError']

TASK_FILENAME = 'cell_task.json'
RESULT_FILENAME = 'cell_result.json'


class CellFailedError(RuntimeError):
    """A cell did not finish (its error or its log is in the message)."""


def _strip_prefix(metrics: dict) -> dict:
    return {key.split('/', 1)[-1]: value for key, value in metrics.items()}


def run_built_config(cfg) -> dict:
    """Train and test one built config; return metrics, curves, timings.

    Args:
        cfg (Config): A config from ``tools/train.py``'s ``build_config``.

    Returns:
        dict: ``metrics`` (scalars, without the ``retrieval/`` prefix),
        ``curves`` (from ``test_metrics.json``), ``train_time_s`` (wall time
        of ``Runner.train`` minus its validation passes), ``val_time_s``,
        ``test_time_s`` (wall time of ``Runner.test``), ``encode_time_s``
        and ``num_encoded`` (test-time loading + encoding of both splits),
        ``encode_ms_per_item``, ``run_dir`` (the run's log dir),
        ``dataset_name`` and ``synthetic`` (from the data set's metainfo).
    """
    from mmengine.runner import Runner
    runner = Runner.from_cfg(cfg)
    timer = CellTimerHook()
    runner.register_hook(timer, priority='VERY_LOW')
    start = time.perf_counter()
    runner.train()
    train_wall = time.perf_counter() - start
    start = time.perf_counter()
    metrics = runner.test()
    test_wall = time.perf_counter() - start
    metrics_file = osp.join(runner.log_dir, 'test_metrics.json')
    with open(metrics_file) as f:
        saved = json.load(f)
    metainfo = dict(getattr(runner.test_loop.dataloader.dataset, 'metainfo',
                            {}) or {})
    num_encoded = int(timer.num_encoded)
    encode_time = float(timer.encode_time_s or 0.0)
    return dict(
        metrics={k: float(v) for k, v in _strip_prefix(metrics).items()},
        curves=saved.get('curves', {}),
        train_time_s=train_wall - timer.val_time_s,
        val_time_s=timer.val_time_s,
        test_time_s=test_wall,
        encode_time_s=encode_time,
        num_encoded=num_encoded,
        encode_ms_per_item=1e3 * encode_time / max(num_encoded, 1),
        run_dir=osp.abspath(runner.log_dir),
        codes_file=osp.join(osp.abspath(runner.log_dir), 'test_codes.npz'),
        dataset_name=str(metainfo.get('name', '')),
        synthetic=bool(metainfo.get('synthetic', False)),
        data_file=str(metainfo.get('data_file', '')))


def _experiment_name(task: dict) -> str:
    # Unique per attempt: mmengine keys its logger and visualizer instances
    # by experiment name, and two cells must not share them.
    return f'{task["cell_id"]}_{time.strftime("%Y%m%d_%H%M%S")}' \
           f'_{os.getpid()}_{time.perf_counter_ns() % 10**6}'


class InProcessCellExecutor:
    """Run cells in this process (fast start; for small grids and tests).

    Args:
        build_config (callable): ``task -> Config``; the tool passes a
            wrapper of ``tools/train.py``'s ``build_config``.
    """

    def __init__(self, build_config: Callable[[dict], object]):
        self.build_config = build_config

    def __call__(self, task: dict) -> dict:
        task = dict(task)
        task['cfg_options'] = dict(task['cfg_options'],
                                   experiment_name=_experiment_name(task))
        cfg = self.build_config(task)
        return run_built_config(cfg)


class SubprocessCellExecutor:
    """Run each cell in a child process: ``command + [task_file]``.

    The task is written to ``<work_dir>/cell_task.json``; the child writes
    ``<work_dir>/cell_result.json`` (atomically) and its output goes to
    ``<work_dir>/cell.log``.

    Args:
        command (list[str]): The worker command, e.g.
            ``[sys.executable, 'tools/benchmark.py', '--worker']``.
        timeout (float, optional): Seconds before a cell is killed.
    """

    def __init__(self, command: List[str], timeout: Optional[float] = None):
        self.command = list(command)
        self.timeout = timeout

    def __call__(self, task: dict) -> dict:
        work_dir = task['work_dir']
        os.makedirs(work_dir, exist_ok=True)
        task = dict(task)
        task['cfg_options'] = dict(task['cfg_options'],
                                   experiment_name=_experiment_name(task))
        task_file = osp.join(work_dir, TASK_FILENAME)
        result_file = osp.join(work_dir, RESULT_FILENAME)
        if osp.exists(result_file):
            os.remove(result_file)
        atomic_write_json(task_file, task)
        log_file = osp.join(work_dir, 'cell.log')
        with open(log_file, 'w') as log:
            try:
                code = subprocess.call(self.command + [task_file],
                                       stdout=log, stderr=subprocess.STDOUT,
                                       timeout=self.timeout)
            except subprocess.TimeoutExpired:
                raise CellFailedError(
                    f'{task["cell_id"]}: killed after {self.timeout} s; '
                    f'see {log_file}') from None
        if code != 0 or not osp.isfile(result_file):
            raise CellFailedError(
                f'{task["cell_id"]}: the worker exited with code {code}; '
                f'last lines of {log_file}:\n{_tail(log_file)}')
        with open(result_file) as f:
            return json.load(f)


def _tail(path: str, lines: int = 15) -> str:
    with open(path, errors='replace') as f:
        return ''.join(f.readlines()[-lines:])


def run_worker(task_file: str, build_config: Callable[[dict], object]):
    """Body of the worker process: run the task, write its result.

    Args:
        task_file (str): The task JSON written by
            :class:`SubprocessCellExecutor`.
        build_config (callable): ``task -> Config``.
    """
    with open(task_file) as f:
        task = json.load(f)
    result = run_built_config(build_config(task))
    atomic_write_json(osp.join(osp.dirname(task_file), RESULT_FILENAME),
                      result)
    sys.stdout.flush()
