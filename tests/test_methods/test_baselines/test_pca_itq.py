# Copyright (c) mhash contributors. All rights reserved.
import pytest
import torch

from mhash.methods.baselines import PCAITQ


def test_pca_itq_beats_lsh_and_random_codes(shallow_problem):
    model = PCAITQ(num_bits=32, num_iters=30, seed=0)
    stats = shallow_problem.fit(model)
    score = shallow_problem.model_map(model)
    assert score > shallow_problem.random_codes_map(32) + 0.3
    assert stats['quantization_error'] > 0


def test_itq_rotation_lowers_the_quantization_error(shallow_problem):
    no_rotation = PCAITQ(num_bits=16, num_iters=0, seed=0)
    rotated = PCAITQ(num_bits=16, num_iters=30, seed=0)
    before = shallow_problem.fit(no_rotation)['quantization_error']
    after = shallow_problem.fit(rotated)['quantization_error']
    assert after < before
    # the rotation is orthogonal: the projection keeps orthonormal columns
    projection = rotated.projection.double()
    assert torch.allclose(projection.T @ projection,
                          torch.eye(16, dtype=torch.float64), atol=1e-4)


def test_pca_itq_is_deterministic_and_round_trips(shallow_problem,
                                                  tmp_path):
    first, second = PCAITQ(num_bits=16, seed=3), PCAITQ(num_bits=16, seed=3)
    shallow_problem.fit(first)
    shallow_problem.fit(second)
    assert torch.equal(first.projection, second.projection)
    shallow_problem.assert_round_trip(first, PCAITQ(num_bits=16), tmp_path)


def test_pca_itq_rejects_more_bits_than_dimensions():
    model = PCAITQ(num_bits=8)
    with pytest.raises(ValueError, match='num_bits=8'):
        model.fit(torch.randn(20, 3), torch.randn(20, 2), None)
