# Copyright (c) mhash contributors. All rights reserved.
import pytest
import torch

from mhash.methods.baselines import MvDH


def test_mvdh_beats_random_codes_and_weights_views(shallow_problem):
    model = MvDH(num_bits=32, num_anchors=50, num_clusters=10, seed=0)
    stats = shallow_problem.fit(model)
    assert stats['image_weight'] + stats['text_weight'] == pytest.approx(1)
    assert torch.allclose(model.view_weights.sum(), torch.tensor(1.0))
    score = shallow_problem.model_map(model)
    assert score > shallow_problem.random_codes_map(32) + 0.3


def test_mvdh_is_deterministic_and_round_trips(shallow_problem, tmp_path):
    kwargs = dict(num_bits=16, num_anchors=40, num_clusters=5, num_iters=4)
    first, second = MvDH(seed=4, **kwargs), MvDH(seed=4, **kwargs)
    shallow_problem.fit(first)
    shallow_problem.fit(second)
    image, text, _ = shallow_problem.split_tensors('te')
    assert torch.equal(first.encode(image, text), second.encode(image, text))
    shallow_problem.assert_round_trip(first, MvDH(**kwargs), tmp_path)


def test_mvdh_checks_its_arguments():
    with pytest.raises(ValueError, match='view_exponent'):
        MvDH(num_bits=8, view_exponent=1.0)
    with pytest.raises(RuntimeError, match='fitted'):
        MvDH(num_bits=8).encode(torch.randn(2, 3), torch.randn(2, 2))
