# Copyright (c) mhash contributors. All rights reserved.
"""The method contract: forward modes, predictions and code checks."""
from typing import Dict

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mhash.methods import (BaseHashModel, BaseShallowHashModel,
                           codes_to_binary)


class LinearHash(BaseHashModel):
    """A deep method whose ``encode`` can be made to break the contract."""

    def __init__(self, num_bits: int = 8, image_dim: int = 5,
                 text_dim: int = 3):
        super().__init__(num_bits)
        self.proj = nn.Linear(image_dim + text_dim, num_bits)
        self.broken = None

    def encode(self, image: Tensor, text: Tensor) -> Tensor:
        codes = torch.tanh(self.proj(torch.cat([image, text], dim=1)))
        if self.broken is not None:
            return self.broken(codes)
        return codes

    def loss(self, image, text, label, index) -> Dict[str, Tensor]:
        codes = self.encode(image, text)
        return dict(loss_quant=F.mse_loss(codes, codes.detach().sign()))


class MeanHash(BaseShallowHashModel):
    """A shallow method: the codes are centred inputs through a buffer."""

    def __init__(self, num_bits: int = 4):
        super().__init__(num_bits)
        self.register_buffer('mean', torch.zeros(num_bits))

    def fit(self, image, text, label):
        self.mean.copy_(image[:, :self.num_bits].mean(0))
        return dict(items=image.shape[0])

    def encode_fitted(self, image, text):
        return torch.tanh(image[:, :self.num_bits] - self.mean)


def _batch(n=4, num_classes=3):
    generator = torch.Generator().manual_seed(0)
    return (torch.randn(n, 5, generator=generator),
            torch.randn(n, 3, generator=generator),
            (torch.rand(n, num_classes, generator=generator) > 0.5).float(),
            torch.arange(10, 10 + n))


def test_codes_to_binary_maps_zero_to_plus_one():
    codes = torch.tensor([[-0.5, 0.0, 0.2], [-0.0, -1.0, 1.0]])
    binary = codes_to_binary(codes)
    assert binary.dtype == torch.int8
    assert binary.tolist() == [[-1, 1, 1], [1, -1, 1]]


def test_forward_modes():
    model = LinearHash()
    image, text, label, index = _batch()
    codes = model(image, text, mode='tensor')
    assert codes.shape == (4, 8) and codes.abs().max() <= 1
    losses = model(image, text, label, index, mode='loss')
    assert list(losses) == ['loss_quant']
    outputs = model(image, text, label, index, mode='predict')
    assert len(outputs) == 4
    first = outputs[0]
    assert first['code'].dtype == torch.int8 and first['code'].shape == (8,)
    assert torch.equal(first['code'], codes_to_binary(codes[0].detach()))
    assert first['label'].dtype == torch.uint8
    assert torch.equal(first['label'], label[0].to(torch.uint8))
    assert [item['index'] for item in outputs] == [10, 11, 12, 13]
    with pytest.raises(ValueError, match='needs the batch labels'):
        model(image, text, mode='loss')
    with pytest.raises(ValueError, match='Invalid mode "predcit"'):
        model(image, text, mode='predcit')


def test_num_bits_and_abstract_methods_are_checked():
    for bad in (0, -3, 8.0, True, '8'):
        with pytest.raises(ValueError, match='LinearHash: num_bits must be'):
            LinearHash(num_bits=bad)

    class NoLoss(BaseHashModel):

        def encode(self, image, text):
            return image

    with pytest.raises(TypeError, match='abstract'):
        NoLoss(8)


@pytest.mark.parametrize('broken, message', [
    (lambda c: c[:, :7], r'LinearHash\.encode returned codes of shape '
     r'\(4, 7\); expected \(batch, num_bits\) = \(4, 8\)'),
    (lambda c: c.t(), r'shape \(8, 4\); expected .* = \(4, 8\)'),
    (lambda c: c.reshape(-1), r'shape \(32,\); expected'),
    (lambda c: c.detach().numpy(), r'LinearHash\.encode returned a ndarray; '
     r'expected a Tensor of shape \(batch, num_bits\) = \(4, 8\)'),
    (lambda c: c * 3, r'LinearHash\.encode returned codes in \[-\d.*, '
     r'\d.*\]; expected values in \[-1, 1\] \(apply tanh or clamp\)'),
    (lambda c: c + 1.5, r'codes in \[0\.\d+, 2\.\d+\]'),
    (lambda c: c.sign().to(torch.int8),
     r'LinearHash\.encode returned torch\.int8 codes'),
    (lambda c: torch.where(c > 0, float('nan'), c),
     r'LinearHash\.encode returned \d+ non-finite value\(s\)'),
])
def test_broken_codes_are_reported_with_method_name(broken, message):
    model = LinearHash()
    image, text, label, index = _batch()
    model.broken = broken
    with pytest.raises(ValueError, match=message):
        model(image, text, label, index, mode='predict')


def test_codes_on_the_boundary_pass():
    model = LinearHash()
    image, text, label, index = _batch()
    model.broken = lambda c: torch.where(c > 0, 1.0, -1.0)
    assert len(model.predict(image, text, label, index)) == 4
    model.check_codes(torch.zeros(0, 8), 0)  # an empty batch is fine
    with pytest.raises(ValueError, match=r'codes in \[-1, 1\.01\]'):
        model.check_codes(torch.tensor([[1.01] + [-1.0] * 7]), 1)


def test_shallow_contract_fit_buffers_and_errors():
    model = MeanHash()
    image, text, label, index = _batch()
    with pytest.raises(RuntimeError, match='MeanHash must be fitted'):
        model(image, text, mode='tensor')
    with pytest.raises(RuntimeError, match='ShallowFitLoop'):
        model(image, text, label, index, mode='loss')
    assert model.fit(image, text, label) == dict(items=4)
    model.mark_fitted()
    codes = model(image, text, mode='tensor')
    assert codes.shape == (4, 4)
    # the fitted state travels in the state dict
    state = model.state_dict()
    assert bool(state['fitted']) and 'mean' in state
    reloaded = MeanHash()
    reloaded.load_state_dict(state)
    assert torch.equal(reloaded(image, text, mode='tensor'), codes)
    outputs = reloaded.predict(image, text, label, index)
    assert np.isin(outputs[0]['code'].numpy(), (-1, 1)).all()
