# Copyright (c) mhash contributors. All rights reserved.
import pytest
import torch

from mhash.methods.baselines import SDMH
from .supervised_multiview_checks import (
    check_beats_baselines, check_codes_do_not_depend_on_the_batch,
    check_deterministic_and_round_trips)


def test_sdmh_beats_random_and_unsupervised_codes(shallow_problem):
    model = SDMH(num_bits=32, num_anchors=100, seed=0)
    check_beats_baselines(shallow_problem, model, 32)
    check_codes_do_not_depend_on_the_batch(shallow_problem, model)


def test_sdmh_is_deterministic_and_round_trips(shallow_problem, tmp_path):
    check_deterministic_and_round_trips(
        shallow_problem, lambda: SDMH(num_bits=16, num_anchors=60, seed=3),
        tmp_path)


def test_sdmh_view_weights_follow_reconstruction_errors(shallow_problem):
    stats = SDMH(num_bits=16, num_anchors=60).fit(
        *shallow_problem.split_tensors('tr'))
    assert stats['image_weight'] + stats['text_weight'] == pytest.approx(1)
    assert 0 < stats['image_weight'] < 1
    # With zero factors the errors are the views' energies (30 and 120):
    # mu_m ~ (1 / h_m)^(1 / (t - 1)) = (0.8, 0.2) for t = 2.
    views = (torch.ones(10, 3).double(), 2 * torch.ones(10, 3).double())
    weights = SDMH(num_bits=4)._update_weights(
        views, torch.tensor([0.5, 0.5]).double(),
        torch.zeros(6, 4).double(), torch.ones(10, 4).double())
    assert torch.allclose(weights, torch.tensor([0.8, 0.2]).double())


def test_sdmh_rejects_bad_inputs():
    with pytest.raises(ValueError, match='num_anchors=50'):
        SDMH(num_bits=4, num_anchors=50).fit(
            torch.randn(10, 3), torch.randn(10, 2), torch.ones(10, 2))
    with pytest.raises(ValueError, match='same number of rows'):
        SDMH(num_bits=4, num_anchors=5).fit(
            torch.randn(10, 3), torch.randn(9, 2), torch.ones(10, 2))
    with pytest.raises(ValueError, match='weight_exponent'):
        SDMH(num_bits=4, weight_exponent=1.0)
    with pytest.raises(RuntimeError, match='fitted'):
        SDMH(num_bits=4).encode(torch.randn(2, 3), torch.randn(2, 2))
