# Copyright (c) mhash contributors. All rights reserved.
import torch

from mhash.methods.baselines import SAPMH
from .supervised_multiview_checks import (
    check_beats_baselines, check_codes_do_not_depend_on_the_batch,
    check_deterministic_and_round_trips)


def test_sapmh_beats_random_and_unsupervised_codes(shallow_problem):
    model = SAPMH(num_bits=32, num_anchors=100, latent_dim=32, seed=0)
    check_beats_baselines(shallow_problem, model, 32)
    # The online latent step adapts weights per pair, not per batch.
    check_codes_do_not_depend_on_the_batch(shallow_problem, model)


def test_sapmh_is_deterministic_and_round_trips(shallow_problem, tmp_path):
    check_deterministic_and_round_trips(
        shallow_problem,
        lambda: SAPMH(num_bits=16, num_anchors=60, latent_dim=16, max_iter=10,
                      seed=3), tmp_path)


def test_sapmh_projection_step_is_the_exact_minimiser():
    generator = torch.Generator().manual_seed(0)
    labels = (torch.rand(40, 4, generator=generator) < 0.4).double()
    latent = torch.randn(40, 6, generator=generator).double()
    codes = torch.randn(40, 8, generator=generator).sign().double()
    model = SAPMH(num_bits=8, theta=0.5, rho=1e-3)
    similarity = 2 * labels @ labels.T - 1

    def objective(projection):
        fused = latent @ projection
        return (0.5 * (codes - fused).square().sum() +
                1e-3 * (8 * similarity - codes @ fused.T).square().sum())

    best = model._projection(labels, latent, codes).requires_grad_()
    objective(best).backward()
    assert best.grad.abs().max() < 1e-6
