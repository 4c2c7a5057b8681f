# Copyright (c) mhash contributors. All rights reserved.
"""tools/analysis/benchmark_bsth.py on small shapes: the equivalence check
(also with module A sliced into one-item chunks) and the timing table."""
import importlib.util
import os.path as osp

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SMALL = ['--image-dim', '40', '--text-dim', '24', '--classes', '5',
         '--check-size', '12', '--batch-size', '16']


def _benchmark():
    spec = importlib.util.spec_from_file_location(
        'mhash_benchmark_bsth',
        osp.join(REPO, 'tools', 'analysis', 'benchmark_bsth.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('chunk_tokens', ['0', '8'])
def test_literal_and_mhash_builds_agree(chunk_tokens):
    bench = _benchmark()
    args = bench.parse_args(['--bits', '8', '--cpu-chunk-tokens',
                             chunk_tokens] + SMALL)
    worst = bench.check_equivalence(8, args)
    assert worst <= args.tol


def test_a_different_function_is_caught():
    bench = _benchmark()
    args = bench.parse_args(['--bits', '8'] + SMALL)
    original = bench.copy_literal_into_mhash

    def copy_then_perturb(hash_net, proto_net, model):
        original(hash_net, proto_net, model)
        model.hash_encoder.hash_head.out_bias.data += 1e-3

    bench.copy_literal_into_mhash = copy_then_perturb
    with pytest.raises(SystemExit, match='MISMATCH'):
        bench.check_equivalence(8, args)


def test_timing_table_has_a_row_per_setting(capfd):
    bench = _benchmark()
    bench.main(['--bits', '8', '--iters', '1'] + SMALL)
    rows = [line for line in capfd.readouterr().out.splitlines()
            if line.startswith('| 8 |')]
    assert [row.split('|')[2].strip() for row in rows] == ['glibc', 'tuned']
    for row in rows:
        literal, mhash = (float(row.split('|')[i]) for i in (3, 4))
        assert literal > 0 and mhash > 0
