# Copyright (c) mhash contributors. All rights reserved.
"""Tables and curves from hand-made store records."""
import csv
import io
import os.path as osp

import numpy as np
import pytest

from mhash.benchmark import (
    build_comparison_table,
    published_map,
    render_csv,
    render_latex,
    render_markdown,
    write_benchmark_report,
)
from mhash.benchmark.results_store import ResultsStore

SPEC = dict(
    methods=dict(BSTH=dict(config='x'), LSH=dict(config='y'),
                 MvDH_ours=dict(config='z', published_name='MvDH')),
    datasets=dict(flickr=dict(name='MIR Flickr', published='MIR Flickr'),
                  synthetic=dict(name='Synthetic')))


def _record(method, dataset, bits, seed, value, synthetic=False):
    return dict(method=method, dataset=dataset, bits=bits, seed=seed,
                synthetic=synthetic, train_time_s=10.0 + seed,
                metrics={'mAP': value, 'precision@100': value / 2},
                curves=dict(curve_ks=[50, 100], precision_curve=[value, .5],
                            radius_recall_curve=[0., .5, 1.],
                            radius_precision_curve=[1., .8, value]))


RECORDS = [
    _record('BSTH', 'flickr', 16, 0, 0.81),
    _record('BSTH', 'flickr', 16, 1, 0.83),
    _record('LSH', 'flickr', 16, 0, 0.60),
    _record('MvDH_ours', 'flickr', 16, 0, 0.70),
    _record('BSTH', 'synthetic', 16, 0, 0.90, synthetic=True),
    _record('LSH', 'synthetic', 16, 0, 0.95, synthetic=True),
]


def test_markdown_cells_best_and_published():
    table = build_comparison_table(RECORDS, 'mAP', SPEC)
    text = render_markdown(table)
    lines = {line.split(' | ')[0].strip('| '): line
             for line in text.splitlines() if line.startswith('| ')}
    # BSTH: mean and sample std of 0.81 / 0.83, best of its column, bold
    std = np.std([0.81, 0.83], ddof=1)
    assert f'**0.8200** ± {std:.4f}' in lines['BSTH']
    # published numbers beside ours, for MIR Flickr only
    assert '0.8145' in lines['BSTH']  # BSTH MIR 16 bits
    assert f'{published_map("MvDH", "MIR Flickr", 16):.4f}' in lines[
        'MvDH_ours']
    assert lines['method'].count('paper') == 1
    # synthetic column: best is LSH, no published number
    assert '**0.9500**' in lines['LSH']
    assert 'Synthetic data (Synthetic)' in text


def test_csv_keeps_exact_values():
    rows = list(csv.DictReader(io.StringIO(
        render_csv(build_comparison_table(RECORDS, 'mAP', SPEC)))))
    bsth = next(r for r in rows if r['method'] == 'BSTH')
    assert float(bsth['flickr/16/mean']) == np.mean([0.81, 0.83])
    assert bsth['flickr/16/n'] == '2' and bsth['flickr/16/best'] == '1'
    assert float(bsth['flickr/16/paper']) == 0.8145
    lsh = next(r for r in rows if r['method'] == 'LSH')
    assert lsh['flickr/16/std'] == '' and lsh['flickr/16/paper'] == ''
    assert 'synthetic/16/paper' not in rows[0]


def test_no_published_numbers_for_synthetic_runs():
    spec = dict(SPEC, datasets=dict(
        synthetic=dict(name='Synthetic', published='MIR Flickr')))
    records = [r for r in RECORDS if r['dataset'] == 'synthetic']
    with pytest.warns(UserWarning, match='synthetic'):
        table = build_comparison_table(records, 'mAP', spec)
    assert not table.published and 'paper' not in render_markdown(table)


def test_times_lower_is_better_and_latex():
    table = build_comparison_table(RECORDS, 'train_time_s', SPEC)
    assert ('LSH', 'flickr', 16) in table.best  # 10 s vs BSTH's 10.5 s
    latex = render_latex(table)
    assert '\\textbf{10.0}' in latex and 'MvDH\\_ours' in latex
    assert 'paper' not in latex  # published numbers are mAP@all only


def test_report_writes_tables_and_curves(tmp_path):
    store = ResultsStore(str(tmp_path))
    for record in RECORDS:
        store.append(record)
    written = write_benchmark_report(str(tmp_path), spec=SPEC,
                                     curves=False)
    names = {osp.basename(p) for p in written}
    assert {'mAP.md', 'mAP.csv', 'mAP.tex', 'precision_100.md',
            'train_time_s.csv', 'all.md'} <= names
    pytest.importorskip('matplotlib')
    pngs = write_benchmark_report(str(tmp_path), metrics=['mAP'],
                                  formats=['md'], spec=SPEC)
    pngs = [p for p in pngs if p.endswith('.png')]
    assert len(pngs) == 4  # 2 data sets x 1 bit length x (PR, P@K)
    for path in pngs:
        with open(path, 'rb') as f:
            assert f.read(4) == b'\x89PNG'
