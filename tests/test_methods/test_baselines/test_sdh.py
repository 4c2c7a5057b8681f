# Copyright (c) mhash contributors. All rights reserved.
import pytest
import torch

from mhash.methods.baselines import LSH, MFH, SDH, MvDH, PCAITQ


def test_supervised_sdh_beats_the_unsupervised_methods(shallow_problem):
    sdh = SDH(num_bits=32, num_anchors=100, seed=0)
    stats = shallow_problem.fit(sdh)
    assert 0.5 < stats['train_bit_agreement'] <= 1
    score = shallow_problem.model_map(sdh)
    assert score > shallow_problem.random_codes_map(32) + 0.15
    for unsupervised in (LSH(32), PCAITQ(32, num_iters=20),
                         MFH(32, num_anchors=50),
                         MvDH(32, num_anchors=50, num_clusters=10)):
        shallow_problem.fit(unsupervised)
        assert score > shallow_problem.model_map(unsupervised) + 0.05, \
            type(unsupervised).__name__


def test_sdh_is_deterministic_and_round_trips(shallow_problem, tmp_path):
    first = SDH(num_bits=16, num_anchors=60, seed=1)
    second = SDH(num_bits=16, num_anchors=60, seed=1)
    shallow_problem.fit(first)
    shallow_problem.fit(second)
    image, text, _ = shallow_problem.split_tensors('te')
    assert torch.equal(first.encode(image, text), second.encode(image, text))
    shallow_problem.assert_round_trip(first, SDH(num_bits=16,
                                                 num_anchors=60), tmp_path)


def test_sdh_needs_labels():
    with pytest.raises(ValueError, match='supervised'):
        SDH(num_bits=4, num_anchors=5).fit(torch.randn(10, 3),
                                           torch.randn(10, 2), None)
