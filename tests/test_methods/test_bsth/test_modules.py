# Copyright (c) mhash contributors. All rights reserved.
"""BSTH building blocks: same functions as the reference layers, bit
independence, shapes and determinism."""
import pytest
import torch
from torch import nn

from mhash.methods.bsth import (BitAwareSemanticTransformer, BitwiseHashHead,
                                CategorywiseHash, GroupwiseLinear,
                                LabelPrototypeLearner, TokenEncoder)
from mhash.methods.bsth.fast_dropout import fast_dropout, scaled_keep_mask


def test_groupwise_linear_equals_grouped_1x1_conv():
    torch.manual_seed(0)
    groups, d_in, d_out, n = 4, 6, 3, 5
    conv = nn.Conv2d(groups * d_in, groups * d_out, 1, groups=groups)
    layer = GroupwiseLinear(groups, d_in, d_out)
    with torch.no_grad():
        layer.weight.copy_(
            conv.weight.reshape(groups, d_out, d_in).transpose(1, 2))
        layer.bias.copy_(conv.bias.reshape(groups, d_out))
    tokens = torch.randn(n, groups, d_in)
    expected = conv(tokens.reshape(n, -1, 1, 1)).reshape(n, groups, d_out)
    assert torch.allclose(layer(tokens), expected, atol=1e-6)


def test_token_encoder_equals_torch_transformer_encoder():
    torch.manual_seed(0)
    dim, length, n = 8, 5, 3
    reference = nn.TransformerEncoder(
        nn.TransformerEncoderLayer(dim, 1, dim, 0.5, 'gelu'),
        num_layers=2,
        norm=nn.LayerNorm(dim),
        enable_nested_tensor=False).eval()
    mine = TokenEncoder(dim, 2, 1, dim).eval()
    mine.load_state_dict(reference.state_dict())
    x = torch.randn(n, length, dim)
    expected = reference(x.transpose(0, 1)).transpose(0, 1)
    assert torch.allclose(mine(x), expected, atol=1e-5)
    # Several heads take the general path.
    reference2 = nn.TransformerEncoderLayer(
        dim, 2, 16, 0.5, 'gelu', batch_first=True).eval()
    mine2 = TokenEncoder(dim, 1, 2, 16).eval()
    state = {f'layers.0.{k}': v for k, v in reference2.state_dict().items()}
    state.update({f'norm.{k}': v
                  for k, v in mine2.norm.state_dict().items()})
    mine2.load_state_dict(state)
    assert torch.allclose(
        mine2.layers[0](x), reference2(x), atol=1e-5)


@pytest.mark.parametrize('training', [True, False])
def test_bit_j_depends_only_on_token_j(training):
    torch.manual_seed(0)
    k, d = 6, 8
    head = BitwiseHashHead(k, d).train(training)
    tokens = torch.randn(5, k, d, requires_grad=True)
    codes = head(tokens)
    for j in range(k):
        (grad, ) = torch.autograd.grad(codes[:, j].sum(), tokens,
                                       retain_graph=True)
        others = torch.cat([grad[:, :j], grad[:, j + 1:]], dim=1)
        assert torch.count_nonzero(others) == 0
        assert torch.count_nonzero(grad[:, j]) > 0


def test_prototype_i_depends_only_on_category_token_i():
    torch.manual_seed(0)
    c, k = 4, 8
    hash_fn = CategorywiseHash(c, k)
    tokens = torch.randn(c, k, requires_grad=True)
    prototypes = hash_fn(tokens)
    for i in range(c):
        (grad, ) = torch.autograd.grad(prototypes[i].sum(), tokens,
                                       retain_graph=True)
        assert torch.count_nonzero(grad[torch.arange(c) != i]) == 0
        assert torch.count_nonzero(grad[i]) > 0


@pytest.mark.parametrize('bits', [16, 32, 64, 128])
def test_shapes_for_every_code_length(bits):
    net = BitAwareSemanticTransformer(bits, 5, (12, 16), (7, 16),
                                      num_layers=1)
    codes, logits = net(torch.randn(3, 12), torch.randn(3, 7))
    assert codes.shape == (3, bits) and logits.shape == (3, 5)
    assert codes.abs().max() < 1
    learner = LabelPrototypeLearner(5, bits)
    prototypes, label_codes, label_logits = learner(torch.eye(5)[:2])
    assert prototypes.shape == (5, bits)
    assert label_codes.shape == (2, bits) and label_logits.shape == (2, 5)


def test_fixed_seed_gives_identical_training_outputs():
    outputs = []
    for _ in range(2):
        torch.manual_seed(2021)
        net = BitAwareSemanticTransformer(8, 3, (10, 16), (6, 16)).train()
        x, t = torch.randn(4, 10), torch.randn(4, 6)
        outputs.append(net(x, t)[0])  # dropout active
    assert torch.equal(outputs[0], outputs[1])


def test_fast_dropout_keeps_expected_fraction_and_scale():
    torch.manual_seed(0)
    for p in (0.5, 0.2):
        mask = scaled_keep_mask((200, 500), p, 'cpu')
        kept = mask > 0
        assert abs(kept.float().mean().item() - (1 - p)) < 0.01
        assert torch.allclose(mask[kept].float(),
                              torch.tensor(1 / (1 - p)))
    x = torch.randn(100, 100, requires_grad=True)
    y = fast_dropout(x, 0.5)
    y.sum().backward()
    # gradient is the mask: 2 where kept, 0 where dropped
    assert torch.equal(x.grad, torch.where(y != 0, 2.0, 0.0))
    assert torch.equal(fast_dropout(x, 0.5, training=False), x)


@pytest.mark.parametrize('chunk_tokens', [8, 12, 1000])
def test_cpu_chunks_give_the_same_function(chunk_tokens):
    """Slicing the per-item part of module A changes nothing but speed."""
    torch.manual_seed(0)
    kwargs = dict(num_layers=2, dropout=0.0)
    whole = BitAwareSemanticTransformer(
        4, 3, (10, 16), (6, 16), cpu_chunk_tokens=None, **kwargs).double()
    chunked = BitAwareSemanticTransformer(
        4, 3, (10, 16), (6, 16), cpu_chunk_tokens=chunk_tokens,
        **kwargs).double()
    chunked.load_state_dict(whole.state_dict())
    # 8 tokens = 2 items per slice; 12 tokens = 3 items (7 = 3 + 3 + 1).
    assert chunked._chunk_size(torch.zeros(7, 16)) == max(
        1, chunk_tokens // 4)
    image = torch.randn(7, 10, dtype=torch.double)
    text = torch.randn(7, 6, dtype=torch.double)
    for training in (True, False):  # BatchNorm: batch vs running stats
        grads = []
        outputs = []
        for net in (whole, chunked):
            net.train(training)
            codes, logits = net(image, text)
            loss = (codes * torch.arange(4.)).sum() + logits.square().sum()
            grads.append(torch.autograd.grad(loss, list(net.parameters())))
            outputs.append((codes, logits))
        for a, b in zip(outputs[0], outputs[1]):
            assert torch.allclose(a, b, atol=1e-12)
        for a, b in zip(*grads):
            assert torch.allclose(a, b, atol=1e-10)


def test_cpu_chunks_draw_independent_dropout_per_slice():
    torch.manual_seed(0)
    net = BitAwareSemanticTransformer(4, 3, (10, 16), (6, 16),
                                      cpu_chunk_tokens=8).train()
    # Identical items in different slices (2 items per slice) get their
    # own masks: no mask is reused from slice to slice.
    hidden = torch.randn(1, 16).repeat(4, 1)
    tokens = net.fuse(hidden, hidden)
    assert not torch.allclose(tokens[0], tokens[2])
    net.eval()
    tokens = net.fuse(hidden, hidden)
    assert torch.allclose(tokens[0], tokens[2])


@pytest.mark.parametrize('bad', [0, -3, 2.5, True, '4096'])
def test_cpu_chunk_tokens_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match='cpu_chunk_tokens'):
        BitAwareSemanticTransformer(4, 3, (10, 16), (6, 16),
                                    cpu_chunk_tokens=bad)
