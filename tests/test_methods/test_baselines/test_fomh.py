# Copyright (c) mhash contributors. All rights reserved.
import torch

from mhash.methods.baselines import FOMH
from mhash.methods.baselines.label_similarity import (
    label_similarity_residual, times_label_similarity)
from .supervised_multiview_checks import (
    check_beats_baselines, check_codes_do_not_depend_on_the_batch,
    check_deterministic_and_round_trips)


def test_fomh_beats_random_and_unsupervised_codes(shallow_problem):
    model = FOMH(num_bits=32, num_anchors=100, seed=0)
    check_beats_baselines(shallow_problem, model, 32)
    # Query-adaptive weights are per pair, so codes ignore the batch.
    check_codes_do_not_depend_on_the_batch(shallow_problem, model)


def test_fomh_is_deterministic_and_round_trips(shallow_problem, tmp_path):
    check_deterministic_and_round_trips(
        shallow_problem, lambda: FOMH(num_bits=16, num_anchors=60, seed=3),
        tmp_path)


def test_label_similarity_helpers_match_the_dense_formulas():
    generator = torch.Generator().manual_seed(0)
    labels = (torch.rand(30, 5, generator=generator) < 0.3).double()
    codes = torch.randn(30, 8, generator=generator).sign().double()
    surrogate = torch.randn(30, 8, generator=generator).double()
    similarity = 2 * labels @ labels.T - 1
    dense = (codes @ surrogate.T - 8 * similarity).square().sum()
    assert torch.allclose(
        label_similarity_residual(labels, codes, surrogate, 8), dense)
    assert torch.allclose(times_label_similarity(labels, surrogate),
                          similarity @ surrogate)
