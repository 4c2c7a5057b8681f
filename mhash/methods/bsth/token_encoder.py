# Copyright (c) mhash contributors. All rights reserved.
"""A lean batch-first transformer encoder (post-norm), BSTH's token mixer.

The function of ``nn.TransformerEncoder`` built from
``nn.TransformerEncoderLayer(norm_first=False)`` layers plus a final
``LayerNorm`` — the reference's encoders — with the same parameter names,
so state dicts load either way. It is written for training throughput on
a batch of short token sequences: batch-first (no permutes), one fused
QKV projection, attention as two batched GEMMs on contiguous blocks, and
dropout through :func:`~mhash.methods.bsth.fast_dropout.fast_dropout`
(same Bernoulli distribution, cheaper mask; ``fast_dropout=False`` uses
``torch.nn.functional.dropout``).
"""
import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .fast_dropout import fast_dropout

__all__ = ['TokenEncoder', 'TokenEncoderLayer']


class _SelfAttention(nn.Module):
    """Holds the attention weights under ``nn.MultiheadAttention``'s names.
    """

    def __init__(self, dim: int):
        super().__init__()
        self.in_proj_weight = nn.Parameter(torch.empty(3 * dim, dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * dim))
        self.out_proj = nn.Linear(dim, dim)
        # nn.MultiheadAttention's initialisation.
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)


class TokenEncoderLayer(nn.Module):
    """One post-norm encoder layer on ``(N, L, dim)`` tokens.

    ``x = LN1(x + Drop(Attn(x)))``; ``x = LN2(x + Drop(W2 Drop(act(W1 x))))``
    with dropout also on the attention weights, as
    ``nn.TransformerEncoderLayer``.

    Args:
        dim (int): Token width.
        num_heads (int): Attention heads (``dim`` divisible by it).
        feedforward_dim (int): Hidden width of the feed-forward block.
        dropout (float): Dropout probability. Defaults to 0.5.
        activation (str): ``'gelu'`` or ``'relu'``. Defaults to ``'gelu'``.
        fast_dropout (bool): Cheaper dropout masks. Defaults to True.

    Examples:
        >>> import torch
        >>> layer = TokenEncoderLayer(8, 2, 16)
        >>> layer(torch.randn(3, 5, 8)).shape
        torch.Size([3, 5, 8])
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 feedforward_dim: int,
                 dropout: float = 0.5,
                 activation: str = 'gelu',
                 fast_dropout: bool = True):
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'TokenEncoderLayer: dim={dim} is not '
                             f'divisible by num_heads={num_heads}')
        if activation not in ('gelu', 'relu'):
            raise ValueError('TokenEncoderLayer: activation must be "gelu" '
                             f'or "relu", got {activation!r}')
        self.num_heads = num_heads
        self.dropout = dropout
        self.activation = getattr(F, activation)
        self.fast_dropout = fast_dropout
        self.self_attn = _SelfAttention(dim)
        self.linear1 = nn.Linear(dim, feedforward_dim)
        self.linear2 = nn.Linear(feedforward_dim, dim)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)

    def _drop(self, x: Tensor) -> Tensor:
        if self.fast_dropout:
            return fast_dropout(x, self.dropout, self.training)
        return F.dropout(x, self.dropout, self.training)

    def _attention(self, x: Tensor) -> Tensor:
        n, length, dim = x.shape
        heads = self.num_heads
        head_dim = dim // heads
        qkv = F.linear(x, self.self_attn.in_proj_weight,
                       self.self_attn.in_proj_bias)
        if heads == 1:
            # Strided views of one (N, L, 3 dim) block: no copies, and one
            # concatenation in the backward pass.
            query, key, value = qkv.split(dim, dim=-1)
        else:
            qkv = qkv.view(n, length, 3, heads, head_dim).permute(
                2, 0, 3, 1, 4).reshape(3, n * heads, length, head_dim)
            query, key, value = qkv.unbind(0)
        scores = torch.bmm(query, key.transpose(1, 2)).mul_(
            1.0 / math.sqrt(head_dim))
        weights = self._drop(torch.softmax(scores, dim=-1))
        out = torch.bmm(weights, value)
        if heads > 1:
            out = out.view(n, heads, length, head_dim).transpose(
                1, 2).reshape(n, length, dim)
        return self.self_attn.out_proj(out)

    def forward(self, x: Tensor) -> Tensor:
        """Encode ``(N, L, dim)`` tokens."""
        dim = x.shape[-1]
        x = F.layer_norm(x + self._drop(self._attention(x)), (dim, ),
                         self.norm1.weight, self.norm1.bias, self.norm1.eps)
        hidden = self._drop(self.activation(self.linear1(x)))
        return F.layer_norm(x + self._drop(self.linear2(hidden)), (dim, ),
                            self.norm2.weight, self.norm2.bias,
                            self.norm2.eps)


class TokenEncoder(nn.Module):
    """A stack of :class:`TokenEncoderLayer` and a final ``LayerNorm``.

    State-dict keys match ``nn.TransformerEncoder(layer, num_layers,
    norm=nn.LayerNorm(dim))``: ``layers.{i}.*`` and ``norm.*``.

    Examples:
        >>> import torch
        >>> encoder = TokenEncoder(8, num_layers=2, num_heads=1,
        ...                        feedforward_dim=8)
        >>> encoder(torch.randn(3, 4, 8)).shape
        torch.Size([3, 4, 8])
    """

    def __init__(self,
                 dim: int,
                 num_layers: int,
                 num_heads: int,
                 feedforward_dim: int,
                 dropout: float = 0.5,
                 activation: str = 'gelu',
                 fast_dropout: bool = True):
        super().__init__()
        self.layers = nn.ModuleList([
            TokenEncoderLayer(dim, num_heads, feedforward_dim, dropout,
                              activation, fast_dropout)
            for _ in range(num_layers)
        ])
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: Tensor) -> Tensor:
        """Encode ``(N, L, dim)`` tokens."""
        for layer in self.layers:
            x = layer(x)
        return self.norm(x)
