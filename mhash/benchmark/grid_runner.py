# Copyright (c) mhash contributors. All rights reserved.
"""Running a benchmark grid: resumable, one store record per cell."""
import datetime
import json
import os
import os.path as osp
import time
import traceback
from typing import Callable, Dict, Optional

from mhash.engine.outputs import atomic_write_json

from .grid_spec import PROJECT_ROOT, BenchmarkCell, BenchmarkSpec
from .results_store import ResultsStore

__all__ = ['run_benchmark_grid', 'format_duration', 'GridSummary']

SPEC_COPY_FILENAME = 'benchmark_spec.json'


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` (or ``m:ss``) of a duration.

    Examples:
        >>> format_duration(3725.2), format_duration(59)
        ('1:02:05', '0:59')
    """
    seconds = int(round(max(seconds, 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f'{hours}:{minutes:02d}:{secs:02d}'
    return f'{minutes}:{secs:02d}'


class GridSummary(dict):
    """What a grid run did: ``total``, ``skipped``, ``ran``, ``failed``
    (list of ``(cell_id, message)``) and ``stopped_early`` (bool)."""


def _relative(path: str, start: str) -> str:
    try:
        relative = osp.relpath(path, start)
    except ValueError:
        return path
    return path if relative.startswith('..') else relative


def _task(cell: BenchmarkCell, out_dir: str,
          extra_cfg_options: Dict[str, object]) -> dict:
    work_dir = osp.join(out_dir, 'runs', cell.method, cell.dataset,
                        f'{cell.bits}bit_seed{cell.seed}')
    return dict(cell_id=cell.cell_id, config=cell.config,
                work_dir=osp.abspath(work_dir),
                cfg_options=dict(cell.cfg_options, **extra_cfg_options))


def run_benchmark_grid(spec: BenchmarkSpec,
                       out_dir: str,
                       execute: Callable[[dict], dict],
                       extra_cfg_options: Optional[Dict[str, object]] = None,
                       max_cells: Optional[int] = None,
                       fail_fast: bool = False,
                       log: Callable[[str], None] = print) -> GridSummary:
    """Run every cell of ``spec`` not yet in the store of ``out_dir``.

    Each finished cell is appended to ``<out_dir>/results.jsonl`` at once
    (see :class:`ResultsStore`); cells already there are skipped, so an
    interrupted grid continues where it stopped when run again. A cell that
    fails is reported and not stored (it runs again next time).

    Args:
        spec (BenchmarkSpec): The grid.
        out_dir (str): Output folder: store, spec copy, ``runs/``.
        execute (callable): ``task -> result`` (an executor of
            :mod:`.cell_runner`).
        extra_cfg_options (dict, optional): Overrides for every cell, after
            the spec's (not part of the settings hash).
        max_cells (int, optional): Stop after running this many cells
            (skipped ones do not count).
        fail_fast (bool): Stop at the first failed cell.
        log (callable): Where progress lines go.

    Returns:
        GridSummary: Counts of the run.
    """
    extra_cfg_options = dict(extra_cfg_options or {})
    cells = spec.cells()
    for method, dataset, bits, reason in spec.skipped:
        log(f'Left out {method} on {dataset} at {bits} bits: {reason}')
    store = ResultsStore(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    # The whole spec (not a --methods / --bits subset), so tables keep the
    # order, names and published mapping of every data set.
    atomic_write_json(osp.join(out_dir, SPEC_COPY_FILENAME),
                      spec.unrestricted or spec.to_dict())
    finished = store.finished()
    summary = GridSummary(total=len(cells), skipped=0, ran=0, failed=[],
                          stopped_early=False)
    start = time.perf_counter()
    durations = []
    for position, cell in enumerate(cells, 1):
        prefix = f'[{position}/{len(cells)}] {cell.cell_id}'
        stored = finished.get(cell.key)
        if stored is not None:
            summary['skipped'] += 1
            note = ''
            if stored.get('settings_hash') != cell.settings_hash:
                note = (' (stored with other settings: the config or '
                        'cfg_options changed since; kept. Remove its line '
                        f'from {store.path} or use another output folder '
                        'to rerun it)')
            log(f'{prefix}: already stored, skipped{note}')
            continue
        if max_cells is not None and summary['ran'] >= max_cells:
            summary['stopped_early'] = True
            log(f'Stopping after {max_cells} cell(s) as asked (--max-cells); '
                'run again to continue.')
            break
        log(f'{prefix}: running ({cell.config})')
        task = _task(cell, out_dir, extra_cfg_options)
        cell_start = time.perf_counter()
        try:
            result = execute(task)
        except Exception as error:  # noqa: B902 (a cell must not stop
            # the grid unless fail_fast; Ctrl-C is not an Exception)
            message = f'{type(error).__name__}: {error}'
            error_file = osp.join(task['work_dir'], 'cell_error.txt')
            os.makedirs(task['work_dir'], exist_ok=True)
            with open(error_file, 'w') as f:
                f.write(traceback.format_exc())
            summary['failed'].append((cell.cell_id, message))
            log(f'{prefix}: FAILED: {message} (traceback in {error_file})')
            if fail_fast:
                break
            continue
        wall = time.perf_counter() - cell_start
        record = _record(cell, result, out_dir, wall)
        record['extra_cfg_options'] = json.loads(
            json.dumps(extra_cfg_options, default=str))
        store.append(record)
        summary['ran'] += 1
        durations.append(wall)
        elapsed = time.perf_counter() - start
        remaining = sum(1 for c in cells[position:] if c.key not in finished)
        eta = remaining * sum(durations) / len(durations)
        log(f'{prefix}: mAP {record["metrics"].get("mAP", float("nan")):.4f}'
            f', {format_duration(wall)} | elapsed {format_duration(elapsed)}'
            f', ETA {format_duration(eta)} ({remaining} cell(s) left)')
    return summary


def _record(cell: BenchmarkCell, result: dict, out_dir: str,
            wall: float) -> dict:
    record = dict(
        method=cell.method,
        dataset=cell.dataset,
        bits=cell.bits,
        seed=cell.seed,
        cell_id=cell.cell_id,
        config=_relative(cell.config, PROJECT_ROOT),
        cfg_options=json.loads(json.dumps(cell.cfg_options, default=str)),
        settings_hash=cell.settings_hash,
        wall_time_s=wall,
        finished_at=datetime.datetime.now(
            datetime.timezone.utc).isoformat(timespec='seconds'))
    record.update(result)
    for key in ('run_dir', 'codes_file'):
        if record.get(key):
            record[key] = _relative(record[key], osp.abspath(out_dir))
    return record
