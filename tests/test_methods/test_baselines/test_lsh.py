# Copyright (c) mhash contributors. All rights reserved.
import torch

from mhash.methods.baselines import LSH


def test_lsh_beats_random_codes_and_is_seeded(shallow_problem):
    model = LSH(num_bits=32, seed=0)
    shallow_problem.fit(model)
    assert model.projection.shape == (48 + 40, 32)
    score = shallow_problem.model_map(model)
    assert score > shallow_problem.random_codes_map(32) + 0.15
    again = LSH(num_bits=32, seed=0)
    shallow_problem.fit(again)
    assert torch.equal(again.projection, model.projection)
    other = LSH(num_bits=32, seed=1)
    shallow_problem.fit(other)
    assert not torch.equal(other.projection, model.projection)


def test_lsh_codes_are_in_range_with_the_bits_signs(shallow_problem):
    model = LSH(num_bits=16)
    shallow_problem.fit(model)
    image, text, _ = shallow_problem.split_tensors('te')
    codes = model.encode(image, text)
    assert codes.abs().max() <= 1
    projected = model.views(image, text) @ model.projection
    assert torch.equal(codes >= 0, projected >= 0)


def test_lsh_state_round_trips_into_a_model_built_without_dims(
        shallow_problem, tmp_path):
    model = LSH(num_bits=16, image_dim=48, text_dim=40)
    shallow_problem.fit(model)
    shallow_problem.assert_round_trip(model, LSH(num_bits=16), tmp_path)
