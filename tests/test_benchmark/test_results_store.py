# Copyright (c) mhash contributors. All rights reserved.
"""The JSON Lines results store: durable appends, torn-write recovery."""
import json

import pytest

from mhash.benchmark import ResultsStore


def _record(seed, value=0.5):
    return dict(method='LSH', dataset='tiny', bits=8, seed=seed,
                metrics=dict(mAP=value))


def test_append_and_read_back_in_order(tmp_path):
    store = ResultsStore(str(tmp_path / 'out'))
    assert store.records() == [] and not store.exists()
    for seed in range(3):
        store.append(_record(seed, 0.1 * seed))
    records = store.records()
    assert [r['seed'] for r in records] == [0, 1, 2]
    assert records[2]['metrics']['mAP'] == 0.1 * 2
    assert set(store.finished()) == {('LSH', 'tiny', 8, s) for s in range(3)}
    with open(store.path) as f:
        assert all(json.loads(line) for line in f)


def test_partial_last_line_is_ignored_then_cut(tmp_path):
    store = ResultsStore(str(tmp_path))
    store.append(_record(0))
    # a kill in the middle of a write: half a record, no newline
    with open(store.path, 'a') as f:
        f.write(json.dumps(_record(1))[:25])
    with pytest.warns(UserWarning, match='unfinished'):
        assert [r['seed'] for r in store.records()] == [0]
    with pytest.warns(UserWarning, match='removing'):
        store.append(_record(2))
    assert [r['seed'] for r in store.records()] == [0, 2]


def test_damaged_complete_line_is_an_error(tmp_path):
    store = ResultsStore(str(tmp_path))
    store.append(_record(0))
    with open(store.path, 'a') as f:
        f.write('{not json}\n')
    with pytest.raises(ValueError, match='line 2'):
        store.records()


def test_record_needs_its_key(tmp_path):
    with pytest.raises(KeyError, match='seed'):
        ResultsStore(str(tmp_path)).append(dict(method='A', dataset='d',
                                                bits=8))
