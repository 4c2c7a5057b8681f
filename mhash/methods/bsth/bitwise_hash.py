# Copyright (c) mhash contributors. All rights reserved.
"""Independent per-token functions as batched weights (bit-wise hashing).

BSTH gives every bit (module A) and every category (module B) its *own*
small network applied to its own token. The reference writes these as
grouped 1x1 ``Conv2d`` layers (``groups`` = number of tokens) over the
flattened sequence; here each is a stack of per-token weights applied with
one batched matrix product, which is the same function without the
reshape to an image and the grouped-convolution kernel.
"""
import math

import torch
from torch import Tensor, nn

__all__ = ['GroupwiseLinear', 'BitwiseHashHead', 'CategorywiseHash']


class GroupwiseLinear(nn.Module):
    """``G`` independent linear maps, map ``g`` applied to token ``g``.

    ``out[n, g] = x[n, g] @ weight[g] + bias[g]``. Equal to a 1x1 grouped
    convolution with ``groups=G`` over the channels ``g * in + i``: the
    convolution weight ``conv.weight[g * out + o, i]`` is
    ``weight[g, i, o]`` here. Initialised like that convolution (PyTorch's
    default: uniform in +-1/sqrt(in_features)).

    Args:
        num_groups (int): Number of tokens G.
        in_features (int): Width of each input token.
        out_features (int): Width of each output token.

    Examples:
        >>> layer = GroupwiseLinear(3, 4, 2)
        >>> layer(torch.randn(5, 3, 4)).shape
        torch.Size([5, 3, 2])
    """

    def __init__(self, num_groups: int, in_features: int, out_features: int):
        super().__init__()
        self.num_groups = num_groups
        self.in_features = in_features
        self.out_features = out_features
        self.weight = nn.Parameter(
            torch.empty(num_groups, in_features, out_features))
        self.bias = nn.Parameter(torch.empty(num_groups, out_features))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform in +-1/sqrt(fan_in), as a default ``Conv2d``/``Linear``."""
        bound = 1.0 / math.sqrt(self.in_features)
        nn.init.uniform_(self.weight, -bound, bound)
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, tokens: Tensor) -> Tensor:
        """Map ``(N, G, in_features)`` to ``(N, G, out_features)``."""
        # (G, N, in) @ (G, in, out): one batched GEMM over the groups.
        out = torch.baddbmm(
            self.bias.unsqueeze(1), tokens.transpose(0, 1), self.weight)
        return out.transpose(0, 1)

    def extra_repr(self) -> str:
        return (f'num_groups={self.num_groups}, in_features='
                f'{self.in_features}, out_features={self.out_features}')


class BitwiseHashHead(nn.Module):
    """Bit-wise hash functions H_j of BSTH (eq. 6): one network per bit.

    Bit j: ``tanh(w2_j . tanh(BN(token_j @ W1_j + b1_j)) + b2_j)``. The
    BatchNorm normalises all ``num_bits * hidden`` channels (each its own
    statistics), as the reference ``BatchNorm2d(k * d_c / 2)`` does, so bit
    j still depends only on token j.

    Args:
        num_bits (int): Number of bits k (tokens).
        token_dim (int): Token width d_c.
        hidden_dim (int, optional): Hidden width; defaults to
            ``token_dim // 2`` as in the reference.

    Examples:
        >>> head = BitwiseHashHead(num_bits=4, token_dim=8)
        >>> head(torch.randn(3, 4, 8)).shape
        torch.Size([3, 4])
    """

    def __init__(self, num_bits: int, token_dim: int, hidden_dim=None):
        super().__init__()
        self.num_bits = num_bits
        self.hidden_dim = hidden_dim or token_dim // 2
        self.hidden = GroupwiseLinear(num_bits, token_dim, self.hidden_dim)
        self.norm = nn.BatchNorm1d(num_bits * self.hidden_dim)
        self.out_weight = nn.Parameter(torch.empty(num_bits, self.hidden_dim))
        self.out_bias = nn.Parameter(torch.empty(num_bits))
        bound = 1.0 / math.sqrt(self.hidden_dim)
        nn.init.uniform_(self.out_weight, -bound, bound)
        nn.init.uniform_(self.out_bias, -bound, bound)

    def forward(self, tokens: Tensor) -> Tensor:
        """Hash ``(N, num_bits, token_dim)`` tokens to ``(N, num_bits)``."""
        batch = tokens.shape[0]
        hidden = self.hidden(tokens).reshape(batch, -1)
        hidden = torch.tanh(self.norm(hidden))
        hidden = hidden.view(batch, self.num_bits, self.hidden_dim)
        # Last layer has one output per bit: a weighted sum per token.
        return torch.tanh((hidden * self.out_weight).sum(-1) + self.out_bias)


class CategorywiseHash(nn.Module):
    """Category-wise hash functions of module B (eq. 12).

    Category i: ``p_i = tanh(e_i @ W_i + b_i)`` with its own ``W_i``
    (k x k), as the reference grouped convolution with ``groups=c``.

    Args:
        num_classes (int): Number of categories c.
        num_bits (int): Code length k (token width).

    Examples:
        >>> CategorywiseHash(5, 8)(torch.randn(5, 8)).shape
        torch.Size([5, 8])
    """

    def __init__(self, num_classes: int, num_bits: int):
        super().__init__()
        self.linear = GroupwiseLinear(num_classes, num_bits, num_bits)

    def forward(self, embeddings: Tensor) -> Tensor:
        """Map category tokens ``(c, k)`` to prototypes ``(c, k)``."""
        return torch.tanh(self.linear(embeddings.unsqueeze(0)).squeeze(0))
