# Copyright (c) mhash contributors. All rights reserved.
"""A tiny multi-label problem and checks shared by the shallow tests.

Tests use them through the ``shallow_problem`` fixture, e.g.
``shallow_problem.fit(model)``, ``shallow_problem.model_map(model)``.
"""
import sys

import numpy as np
import pytest
import torch

from mhash.evaluation.functional import calculate_retrieval_metrics
from mhash.methods import codes_to_binary

# 8 classes (1-2 labels per item), 48-d dense "image" view (class
# prototypes + noise), 40-d binary "text" view (class tags + random tags);
# each view misses a label with probability 0.2. Fixed here rather than
# taken from the project's synthetic generator so that tuned thresholds stay
# valid when that generator changes.
SIZES = dict(tr=300, db=500, te=80)
NUM_CLASSES, IMAGE_DIM, TEXT_DIM = 8, 48, 40
_CACHE = {}


def _make_problem(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    n = SIZES['db'] + SIZES['te']
    labels = np.zeros((n, NUM_CLASSES), dtype=np.uint8)
    labels[np.arange(n), rng.integers(NUM_CLASSES, size=n)] = 1
    second = rng.random(n) < 0.3
    labels[np.flatnonzero(second),
           rng.integers(NUM_CLASSES, size=second.sum())] = 1
    prototypes = rng.normal(size=(NUM_CLASSES, IMAGE_DIM))
    seen = labels * (rng.random(labels.shape) > 0.2)
    image = seen @ prototypes + rng.normal(size=(n, IMAGE_DIM))
    tags = rng.permutation(TEXT_DIM)[:NUM_CLASSES * 4].reshape(
        NUM_CLASSES, 4)
    seen = labels * (rng.random(labels.shape) > 0.2)
    text = np.zeros((n, TEXT_DIM))
    for i in range(n):
        for cls in np.flatnonzero(seen[i]):
            text[i, rng.choice(tags[cls], 3, replace=False)] = 1
        text[i, rng.integers(TEXT_DIM, size=2)] = 1
    order = rng.permutation(n)
    query, database = order[:SIZES['te']], order[SIZES['te']:]
    train = database[:SIZES['tr']]
    arrays = {}
    for split, rows in (('tr', train), ('db', database), ('te', query)):
        arrays[f'I_{split}'] = image[rows].astype(np.float32)
        arrays[f'T_{split}'] = text[rows].astype(np.float32)
        arrays[f'L_{split}'] = labels[rows]
    return arrays


def tiny_problem() -> dict:
    """The problem's arrays (cached), items x dims, reference keys."""
    if not _CACHE:
        _CACHE.update(_make_problem())
    return _CACHE


def split_tensors(split: str):
    """``image, text, label`` float32 tensors of ``'tr'``, ``'db'``,
    ``'te'``."""
    arrays = tiny_problem()
    return tuple(torch.from_numpy(arrays[f'{key}_{split}']).float()
                 for key in ('I', 'T', 'L'))


def fit(model):
    """Fit ``model`` on the training split and mark it fitted."""
    stats = model.fit(*split_tensors('tr'))
    model.mark_fitted()
    return stats


def codes(model, split: str) -> np.ndarray:
    image, text, _ = split_tensors(split)
    with torch.no_grad():
        return codes_to_binary(model.encode(image, text)).numpy()


def retrieval_map(query_codes, db_codes) -> float:
    """mAP@all of the project's metric on the tiny problem."""
    arrays = tiny_problem()
    return calculate_retrieval_metrics(
        query_codes, db_codes, arrays['L_te'], arrays['L_db'], topk=[100],
        curve_ks=[100])['mAP']


def model_map(model) -> float:
    return retrieval_map(codes(model, 'te'), codes(model, 'db'))


def random_codes_map(num_bits: int, seed: int = 0) -> float:
    arrays = tiny_problem()
    rng = np.random.default_rng(seed)
    return retrieval_map(
        np.sign(rng.standard_normal((len(arrays['L_te']), num_bits))),
        np.sign(rng.standard_normal((len(arrays['L_db']), num_bits))))


def assert_round_trip(model, fresh_model, tmp_path):
    """A saved fitted state loads into ``fresh_model`` and encodes new
    queries identically."""
    path = tmp_path / 'fitted.pth'
    torch.save(model.state_dict(), path)
    state = torch.load(path, weights_only=True)
    fresh_model.load_state_dict(state)
    assert bool(fresh_model.fitted)
    image, text, _ = split_tensors('te')
    with torch.no_grad():
        assert torch.equal(fresh_model.encode(image, text),
                           model.encode(image, text))


@pytest.fixture
def shallow_problem():
    """This module's helpers (tiny problem, fitting, mAP, round trip)."""
    return sys.modules[__name__]


@pytest.fixture(autouse=True)
def single_torch_thread():
    """Run these small dense problems on one thread: on a shared, loaded
    2-core machine, spinning OpenMP threads make them ~50x slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
