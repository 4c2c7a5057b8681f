# Copyright (c) mhash contributors. All rights reserved.
"""Checks shared by the tests of the supervised multi-view baselines.

SDMH, FOMH, SAPMH and DMVH are held to the same bar on the tiny problem of
``conftest.py``: clearly better than random codes and than the
unsupervised baselines, deterministic under a seed, batch-independent
codes, and a saved state that reloads and encodes identically.
"""
import functools

import torch

from mhash.methods.baselines import LSH, MvDH


@functools.lru_cache(maxsize=None)
def unsupervised_maps(problem, num_bits: int) -> dict:
    """mAP of LSH and MvDH (the strongest unsupervised one here)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    maps = {}
    for model in (LSH(num_bits, seed=0),
                  MvDH(num_bits, num_anchors=50, num_clusters=10, seed=0)):
        problem.fit(model)
        maps[type(model).__name__] = problem.model_map(model)
    torch.set_num_threads(threads)
    return maps


def check_beats_baselines(problem, model, num_bits: int) -> float:
    """Fit ``model``; assert the margins; return its mAP."""
    problem.fit(model)
    score = problem.model_map(model)
    name = type(model).__name__
    assert score > problem.random_codes_map(num_bits) + 0.3, (name, score)
    for other, other_score in unsupervised_maps(problem, num_bits).items():
        assert score > other_score + 0.03, (name, score, other, other_score)
    return score


def check_deterministic_and_round_trips(problem, build, tmp_path) -> None:
    """Two fits with one seed agree; the state reloads into a new model."""
    first, second = build(), build()
    problem.fit(first)
    problem.fit(second)
    image, text, _ = problem.split_tensors('te')
    with torch.no_grad():
        assert torch.equal(first.encode(image, text),
                           second.encode(image, text))
    problem.assert_round_trip(first, build(), tmp_path)


def check_codes_do_not_depend_on_the_batch(problem, model) -> None:
    """A pair's code is the same alone, in a small or in a large batch."""
    image, text, _ = problem.split_tensors('db')
    with torch.no_grad():
        whole = model.encode(image, text)
        part = model.encode(image[:7], text[:7])
        single = model.encode(image[3:4], text[3:4])
    assert torch.equal(torch.sign(whole[:7]), torch.sign(part))
    assert torch.allclose(whole[:7], part, atol=1e-6)
    assert torch.allclose(whole[3:4], single, atol=1e-6)
