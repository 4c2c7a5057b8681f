# Copyright (c) mhash contributors. All rights reserved.
"""Grid spec parsing: cells, placeholders, missing configs, filters."""
import os.path as osp

import pytest

from mhash.benchmark import load_benchmark_spec, parse_benchmark_spec
from mhash.benchmark.grid_spec import PROJECT_ROOT, MissingConfigError

LSH = 'configs/baselines/lsh/lsh_{dataset}_16bit.py'


def _spec(**overrides):
    content = dict(
        methods=dict(LSH=dict(config=LSH,
                              cfg_options={'model.seed': '{seed}',
                                           'work_tag': '{dataset}-{bits}'})),
        datasets={'synthetic-tiny': dict(name='tiny')},
        bits=[8, 16], seeds=[0, 1],
        cfg_options={'log_level': 'WARNING'})
    content.update(overrides)
    return parse_benchmark_spec(content)


def test_cells_fill_placeholders_and_keys():
    cells = _spec().cells()
    assert [(c.bits, c.seed) for c in cells] == [(8, 0), (8, 1), (16, 0),
                                                 (16, 1)]
    cell = cells[-1]
    assert cell.cell_id == 'LSH__synthetic-tiny__16bit__seed1'
    assert cell.config == osp.join(PROJECT_ROOT, LSH.format(
        dataset='synthetic-tiny'))
    assert cell.cfg_options == {
        'log_level': 'WARNING', 'model.seed': 1,
        'work_tag': 'synthetic-tiny-16', 'model.num_bits': 16,
        'randomness.seed': 1}
    # the hash follows the settings, not the seed's position
    assert cells[0].settings_hash != cells[1].settings_hash


def test_missing_config_error_or_skip():
    methods = dict(LSH=dict(config=LSH),
                   Nope=dict(config='configs/nope_{dataset}.py'))
    with pytest.raises(MissingConfigError, match='Nope'):
        _spec(methods=methods).cells()
    spec = _spec(methods=methods, missing_configs='skip')
    assert {c.method for c in spec.cells()} == {'LSH'}
    assert [s[:3] for s in spec.skipped] == [('Nope', 'synthetic-tiny', 8),
                                            ('Nope', 'synthetic-tiny', 16)]


def test_bad_specs_say_what_is_wrong():
    with pytest.raises(ValueError, match='unknown keys'):
        _spec(typo=1)
    with pytest.raises(ValueError, match='`bits`'):
        _spec(bits=['16'])
    with pytest.raises(ValueError, match='needs a `config`'):
        _spec(methods=dict(A=dict()))
    with pytest.raises(ValueError, match='repeats'):
        _spec(seeds=[0, 0])


def test_restrict_keeps_the_whole_spec_for_the_tables():
    spec = _spec()
    spec.restrict(bits=[16], seeds=[1])
    assert [c.cell_id for c in spec.cells()] == [
        'LSH__synthetic-tiny__16bit__seed1']
    assert spec.unrestricted['bits'] == [8, 16]
    with pytest.raises(ValueError, match='not in the spec'):
        spec.restrict(methods=['BSTH'])


def test_shipped_specs_load():
    for name in ('tiny.py', 'synthetic_default.py', 'paper_mir_nus_coco.py'):
        spec = load_benchmark_spec(
            osp.join(PROJECT_ROOT, 'configs', 'benchmarks', name))
        assert spec.cells() or spec.skipped
    paper = load_benchmark_spec('configs/benchmarks/paper_mir_nus_coco.py')
    assert paper.datasets['flickr']['published'] == 'MIR Flickr'
