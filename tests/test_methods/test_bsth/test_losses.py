# Copyright (c) mhash contributors. All rights reserved.
"""Each BSTH loss term against its formula on hand-made inputs."""
import math

import pytest
import torch

from mhash.methods.bsth import losses as L

LABELS = torch.tensor([[1., 0., 1.], [0., 1., 0.], [1., 1., 1.]])


def test_label_similarity_matches_eq19():
    s = L.label_similarity(LABELS)
    for i in range(3):
        for j in range(3):
            inner = float(LABELS[i] @ LABELS[j])
            expected = 2 / (1 + math.exp(-inner)) - 1
            assert s[i, j].item() == pytest.approx(expected, abs=1e-6)
    assert s[0, 1].item() == 0.0  # no shared label
    assert s.shape == (3, 3)


def test_cooccurrence_is_normalised_counts_with_unit_diagonal():
    r = L.cooccurrence_matrix(LABELS)
    # pairs: (0,1) once, (0,2) twice, (1,2) once; n = 3
    expected = torch.tensor([[1., 1 / 3, 2 / 3], [1 / 3, 1., 1 / 3],
                             [2 / 3, 1 / 3, 1.]])
    assert torch.allclose(r, expected)
    with pytest.raises(ValueError, match='no labels'):
        L.cooccurrence_matrix(torch.zeros(0, 3))


def test_classification_loss_is_mean_squared_sigmoid_error():
    logits = torch.tensor([[0.0, 2.0], [-1.0, 0.5]])
    labels = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    sig = [[0.5, 1 / (1 + math.exp(-2))], [1 / (1 + math.exp(1)),
                                           1 / (1 + math.exp(-0.5))]]
    expected = ((sig[0][0] - 1)**2 + sig[0][1]**2 + sig[1][0]**2 +
                (sig[1][1] - 1)**2) / 4
    assert L.classification_loss(logits, labels).item() == pytest.approx(
        expected, rel=1e-6)


def test_code_regression_and_quantization_losses():
    codes = torch.tensor([[0.5, -0.2], [0.0, 0.9]])
    targets = torch.tensor([[1, -1], [1, 1]], dtype=torch.int8)
    expected = (0.25 + 0.64 + 1.0 + 0.01) / 4
    assert L.code_regression_loss(codes, targets).item() == pytest.approx(
        expected, rel=1e-6)
    # sign(0) = 0 as the reference's torch.sign
    expected_q = (0.25 + 0.64 + 0.0 + 0.01) / 4
    assert L.quantization_loss(codes).item() == pytest.approx(
        expected_q, rel=1e-6)


def test_similarity_loss_uses_cosine_of_codes():
    codes = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
    s = torch.tensor([[1.0, 0.5], [0.5, 0.0]])
    cos01 = 1 / math.sqrt(2)
    expected = (0 + 2 * (cos01 - 0.5)**2 + 1.0) / 4
    assert L.similarity_loss(codes, s).item() == pytest.approx(
        expected, rel=1e-6)


def test_prototype_loss_is_mean_over_category_pairs():
    prototypes = torch.tensor([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    r = torch.eye(3)
    c = 1 / math.sqrt(2)
    # off-diagonal cosines: (0,1)=0, (0,2)=(1,2)=c; diagonal 1 - 1 = 0
    expected = 4 * c**2 / 9
    assert L.prototype_cooccurrence_loss(prototypes,
                                         r).item() == pytest.approx(
                                             expected, rel=1e-6)


def test_balance_loss_both_forms():
    codes = torch.tensor([[0.5, 0.5, -0.2], [-1.0, 0.3, 0.1]])
    assert L.balance_loss(codes).item() == pytest.approx(0.2 / 2)
    expected = (0.8**2 + (-0.6)**2) / 2
    assert L.balance_loss(codes, 'squared_norm').item() == pytest.approx(
        expected)
    with pytest.raises(ValueError, match='squared_norm'):
        L.balance_loss(codes, 'paper')
