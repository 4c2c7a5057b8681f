# Copyright (c) mhash contributors. All rights reserved.
"""The grid loop with a fake executor: resume, stop, failures, progress."""
import json
import os.path as osp

from mhash.benchmark import (
    ResultsStore,
    parse_benchmark_spec,
    run_benchmark_grid,
)


def _spec(**cfg_options):
    return parse_benchmark_spec(dict(
        methods=dict(LSH=dict(config='configs/baselines/lsh/'
                              'lsh_{dataset}_16bit.py')),
        datasets={'synthetic-tiny': {}}, bits=[8, 16], seeds=[0, 1],
        cfg_options=cfg_options))


class FakeExecutor:
    """Returns a made-up result; fails for the cells named in ``fail``."""

    def __init__(self, fail=()):
        self.tasks, self.fail = [], set(fail)

    def __call__(self, task):
        self.tasks.append(task)
        if task['cell_id'] in self.fail:
            raise RuntimeError('boom')
        bits = task['cfg_options']['model.num_bits']
        seed = task['cfg_options']['randomness.seed']
        return dict(metrics=dict(mAP=0.5 + bits / 100 + seed / 1000),
                    run_dir=osp.join(task['work_dir'], 'run'))


def test_resume_skips_stored_cells_and_stops_on_request(tmp_path):
    out_dir, lines = str(tmp_path), []
    first = FakeExecutor()
    summary = run_benchmark_grid(_spec(), out_dir, first, max_cells=1,
                                 log=lines.append)
    assert summary['ran'] == 1 and summary['stopped_early']
    assert [t['cell_id'] for t in first.tasks] == [
        'LSH__synthetic-tiny__8bit__seed0']
    assert any(line.startswith('[1/4]') and 'ETA' in line for line in lines)
    second = FakeExecutor()
    summary = run_benchmark_grid(_spec(), out_dir, second, log=lines.append)
    assert summary['skipped'] == 1 and summary['ran'] == 3
    assert len(second.tasks) == 3
    records = ResultsStore(out_dir).records()
    assert [(r['bits'], r['seed']) for r in records] == [(8, 0), (8, 1),
                                                        (16, 0), (16, 1)]
    assert records[3]['metrics']['mAP'] == 0.5 + 16 / 100 + 1 / 1000
    assert records[0]['run_dir'] == osp.join('runs', 'LSH', 'synthetic-tiny',
                                             '8bit_seed0', 'run')
    with open(osp.join(out_dir, 'benchmark_spec.json')) as f:
        assert json.load(f)['bits'] == [8, 16]


def test_failed_cell_is_reported_not_stored(tmp_path):
    out_dir, lines = str(tmp_path), []
    executor = FakeExecutor(fail={'LSH__synthetic-tiny__8bit__seed1'})
    summary = run_benchmark_grid(_spec(), out_dir, executor,
                                 log=lines.append)
    assert [cell for cell, _ in summary['failed']] == [
        'LSH__synthetic-tiny__8bit__seed1']
    assert len(ResultsStore(out_dir).records()) == 3
    assert osp.isfile(osp.join(out_dir, 'runs', 'LSH', 'synthetic-tiny',
                               '8bit_seed1', 'cell_error.txt'))
    # the next run retries only that cell
    retry = FakeExecutor()
    run_benchmark_grid(_spec(), out_dir, retry, log=lines.append)
    assert [t['cell_id'] for t in retry.tasks] == [
        'LSH__synthetic-tiny__8bit__seed1']


def test_changed_settings_are_kept_and_flagged(tmp_path):
    out_dir, lines = str(tmp_path), []
    run_benchmark_grid(_spec(), out_dir, FakeExecutor(), log=lines.append)
    lines.clear()
    again = FakeExecutor()
    run_benchmark_grid(_spec(log_level='WARNING'), out_dir, again,
                       log=lines.append)
    assert not again.tasks
    assert all('other settings' in line for line in lines
               if 'skipped' in line)
