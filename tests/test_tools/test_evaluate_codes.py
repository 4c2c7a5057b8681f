# Copyright (c) mhash contributors. All rights reserved.
"""tools/evaluate_codes.py on hand-made codes in every accepted format."""
import importlib.util
import os.path as osp

import h5py
import numpy as np
import pytest
import scipy.io

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tool():
    spec = importlib.util.spec_from_file_location(
        'mhash_tool_evaluate_codes',
        osp.join(REPO, 'tools', 'evaluate_codes.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bits(rows):
    return np.array([[1 if c == '1' else -1 for c in row] for row in rows])


# 3 queries x 6 items, 4 bits. Query A (0000, class 0) sees distances
# 0 0 1 2 2 4 with d1 d2 d4 relevant; query B has no label (skipped); query
# C (0011, class 1) sees 2 2 1 0 0 2 with d0 d2 d3 d5 relevant.
QUERY = _bits(['0000', '1111', '0011'])
RETRIEVAL = _bits(['0000', '0000', '0001', '0011', '0011', '1111'])
QUERY_LABELS = np.array([[1, 0], [0, 0], [0, 1]], dtype=np.uint8)
RETRIEVAL_LABELS = np.array([[0, 1], [1, 0], [1, 1], [0, 1], [1, 0], [0, 1]],
                            dtype=np.uint8)

# By hand. Stable relevant ranks: A 2,3,5 -> AP 53/90; C 1,3,4,6 -> 37/48.
AP_A, AP_C = (1 / 2 + 2 / 3 + 3 / 5) / 3, (1 + 2 / 3 + 3 / 4 + 4 / 6) / 4
EXPECTED = {
    ('mAP@all', 'mhash'): (AP_A + AP_C) / 2,
    # ties broken for / against: A 1,3,4 | 2,3,5; C 1,3,4,5 | 2,3,5,6
    ('mAP@all', 'ties_best_case'): ((1 + 2 / 3 + 3 / 4) / 3 +
                                    (1 + 2 / 3 + 3 / 4 + 4 / 5) / 4) / 2,
    ('mAP@all', 'ties_worst_case'): (AP_A +
                                     (1 / 2 + 2 / 3 + 3 / 5 + 4 / 6) / 4) / 2,
    ('mAP@all', 'lab_matlab_valid_plus_10'): (AP_A + AP_C) / (2 + 10),
    ('mAP@all', 'all_queries_denominator'): (AP_A + AP_C) / 3,
    # top 2: A holds one relevant at rank 2, C one at rank 1.
    ('mAP@2', 'mhash'): (1 / 2 + 1) / 2,
    ('mAP@2', 'normalised_by_all_relevant'): (1 / 2 / 3 + 1 / 4) / 2,
    ('mAP@2', 'normalised_by_min_k_relevant'): (1 / 2 / 2 + 1 / 2) / 2,
}


def _check(result):
    scores = {(m, d): v for m, d, v in result['rows']}
    for key, value in EXPECTED.items():
        assert scores[key] == pytest.approx(value, abs=1e-12), key
    assert result['counts']['num_valid_queries'] == 2


def test_four_npy_files(tmp_path, capsys):
    paths = []
    for name, array in (('qB', QUERY), ('rB', RETRIEVAL),
                        ('qL', QUERY_LABELS), ('rL', RETRIEVAL_LABELS)):
        paths.append(str(tmp_path / f'{name}.npy'))
        np.save(paths[-1], array)
    _check(_tool().main(paths + ['--topk', '2']))
    out = capsys.readouterr().out
    assert 'lab_matlab_valid_plus_10' in out and '3 queries (2 with' in out


def test_reference_mat_v5_and_v73(tmp_path):
    # The reference BSTH output: real-valued sign codes and float labels.
    arrays = dict(val_B=QUERY.astype(np.float32),
                  retrieval_B=RETRIEVAL.astype(np.float32),
                  L_te=QUERY_LABELS.astype(np.float64),
                  L_db=RETRIEVAL_LABELS.astype(np.float64))
    v5 = str(tmp_path / 'bsth_v5.mat')
    scipy.io.savemat(v5, arrays)
    _check(_tool().main([v5, '--topk', '2']))
    # v7.3 = HDF5, column-major: arrays stored transposed.
    v73 = str(tmp_path / 'bsth_v73.mat')
    with h5py.File(v73, 'w') as f:
        for key, value in arrays.items():
            f[key] = value.T
    _check(_tool().main([v73, '--topk', '2']))


def test_npz_with_custom_keys_and_json(tmp_path):
    path = str(tmp_path / 'codes.npz')
    # {0, 1} codes under unknown names
    np.savez(path, Bq=(QUERY > 0).astype(np.uint8),
             Bdb=(RETRIEVAL > 0).astype(np.uint8), query_labels=QUERY_LABELS,
             retrieval_labels=RETRIEVAL_LABELS)
    out_json = str(tmp_path / 'scores.json')
    _check(_tool().main([
        path, '--topk', '2', '--key', 'query_codes=Bq', '--key',
        'retrieval_codes=Bdb', '--json', out_json
    ]))
    assert osp.isfile(out_json)


def test_bad_inputs_name_the_problem(tmp_path):
    path = str(tmp_path / 'codes.npz')
    np.savez(path, query_codes=QUERY * 0.5, retrieval_codes=RETRIEVAL,
             query_labels=QUERY_LABELS, retrieval_labels=RETRIEVAL_LABELS)
    with pytest.raises(ValueError, match='--binarize'):
        _tool().main([path])
    _check(_tool().main([path, '--binarize', '--topk', '2']))
    np.savez(path, val_B=QUERY, retrieval_B=RETRIEVAL)
    with pytest.raises(KeyError, match='query_labels'):
        _tool().main([path])
