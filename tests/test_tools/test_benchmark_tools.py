# Copyright (c) mhash contributors. All rights reserved.
"""tools/benchmark.py and tools/make_tables.py end to end on a tiny grid.

Two methods (DeepFusionHash, 1 epoch; LSH) x two bit lengths x two seeds
on the tiny synthetic data set, cells run in-process.
"""
import csv
import importlib.util
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest

from mhash.benchmark import ResultsStore

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY_SPEC = osp.join(REPO, 'configs', 'benchmarks', 'tiny.py')


def _tool(name):
    spec = importlib.util.spec_from_file_location(
        f'mhash_tool_{name}', osp.join(REPO, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _data_options(data_root):
    return ['--cfg-options'] + [
        f'{loader}.dataset.data_root={data_root}'
        for loader in ('train_dataloader', 'test_dataloader')
    ]


@pytest.fixture(scope='module')
def finished_grid(tmp_path_factory):
    """Run one cell, stop (--max-cells 1), then rerun to the end."""
    root = tmp_path_factory.mktemp('bench')
    out_dir = str(root / 'out')
    options = _data_options(str(root / 'data'))
    benchmark = _tool('benchmark')
    code = benchmark.main([TINY_SPEC, '--out-dir', out_dir, '--in-process',
                           '--max-cells', '1'] + options)
    assert code == 0
    first = ResultsStore(out_dir).records()
    code = benchmark.main([TINY_SPEC, '--out-dir', out_dir, '--in-process'] +
                          options)
    assert code == 0
    return out_dir, first


def test_interrupted_grid_resumes_without_redoing(finished_grid):
    out_dir, first = finished_grid
    assert len(first) == 1
    records = ResultsStore(out_dir).records()
    assert len(records) == 8
    # the first cell was kept as it was, not run again
    assert records[0] == first[0]
    keys = {(r['method'], r['bits'], r['seed']) for r in records}
    assert keys == {(m, b, s) for m in ('DeepFusionHash', 'LSH')
                    for b in (8, 16) for s in (0, 1)}
    for record in records:
        assert record['synthetic'] is True
        assert 0.0 <= record['metrics']['mAP'] <= 1.0
        assert record['train_time_s'] >= 0
        assert record['num_encoded'] == 460  # 60 queries + 400 database
        assert record['curves']['num_bits'] == record['bits']
        run_dir = osp.join(out_dir, record['run_dir'])
        with open(osp.join(run_dir, 'test_metrics.json')) as f:
            saved = json.load(f)
        assert saved['metrics']['retrieval/mAP'] == record['metrics']['mAP']
    # seeds reach the methods: LSH with another seed gives other codes
    lsh = {(r['bits'], r['seed']): r['metrics']['mAP'] for r in records
           if r['method'] == 'LSH'}
    assert lsh[(16, 0)] != lsh[(16, 1)]


def test_tables_hold_exactly_the_stored_numbers(finished_grid):
    out_dir, _ = finished_grid
    assert _tool('make_tables').main([out_dir, '--quiet']) == 0
    records = ResultsStore(out_dir).records()
    values = {}
    for r in records:
        values.setdefault((r['method'], r['bits']), []).append(
            r['metrics']['mAP'])
    with open(osp.join(out_dir, 'tables', 'mAP.csv')) as f:
        rows = {row['method']: row for row in csv.DictReader(f)}
    with open(osp.join(out_dir, 'tables', 'mAP.md')) as f:
        markdown = f.read()
    for (method, bits), seeds in values.items():
        mean = (seeds[0] + seeds[1]) / 2
        assert float(rows[method][f'synthetic-tiny/{bits}/mean']) == mean
        assert rows[method][f'synthetic-tiny/{bits}/n'] == '2'
        assert f'{mean:.4f}' in markdown
    for bits in (8, 16):
        means = {m: float(rows[m][f'synthetic-tiny/{bits}/mean'])
                 for m in rows}
        best = max(means, key=means.get)
        assert rows[best][f'synthetic-tiny/{bits}/best'] == '1'
        assert f'**{means[best]:.4f}**' in markdown
    # synthetic data: never a published column
    assert 'paper' not in markdown and 'Synthetic data' in markdown
    for name in ('mAP.tex', 'mAP_100.md', 'precision_1000.csv',
                 'train_time_s.md', 'encode_ms_per_item.md', 'all.md'):
        assert osp.isfile(osp.join(out_dir, 'tables', name)), name
    pytest.importorskip('matplotlib')
    for bits in (8, 16):
        for kind in ('pr', 'precision_at_k'):
            path = osp.join(out_dir, 'curves',
                            f'synthetic-tiny_{bits}bit_{kind}.png')
            with open(path, 'rb') as f:
                assert f.read(8) == b'\x89PNG\r\n\x1a\n'


def test_killed_grid_keeps_finished_cells(tmp_path):
    """SIGKILL the tool mid-grid; the store stays readable and complete."""
    out_dir = str(tmp_path / 'out')
    command = [
        sys.executable, osp.join(REPO, 'tools', 'benchmark.py'), TINY_SPEC,
        '--out-dir', out_dir, '--in-process', '--methods', 'LSH', '--bits',
        '8'
    ] + _data_options(str(tmp_path / 'data'))
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             start_new_session=True)
    store = ResultsStore(out_dir)
    deadline = time.time() + 120
    try:
        while time.time() < deadline and child.poll() is None:
            if store.exists() and store.records():
                break
            time.sleep(0.05)
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    killed_with = store.records()
    assert 1 <= len(killed_with) <= 2
    code = _tool('benchmark').main(command[2:])
    assert code == 0
    records = store.records()
    assert len(records) == 2
    assert records[:len(killed_with)] == killed_with
