# Copyright (c) mhash contributors. All rights reserved.
"""Sinusoidal positional encoding over a batch-first token sequence."""
import math

import torch
from torch import Tensor, nn

from .fast_dropout import FastDropout

__all__ = ['SinusoidalPositionalEncoding', 'sinusoidal_table']


def sinusoidal_table(length: int, dim: int) -> Tensor:
    """The fixed sine/cosine table of "Attention Is All You Need".

    ``table[p, 2i] = sin(p / 10000^(2i/dim))`` and
    ``table[p, 2i+1] = cos(p / 10000^(2i/dim))``.

    Args:
        length (int): Number of positions.
        dim (int): Embedding width; must be even.

    Returns:
        Tensor: ``(length, dim)`` float32 table.

    Examples:
        >>> sinusoidal_table(3, 4)[0]
        tensor([0., 1., 0., 1.])
    """
    if dim % 2 != 0:
        raise ValueError(f'sinusoidal_table: dim must be even, got {dim}')
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    frequency = torch.exp(
        torch.arange(0, dim, 2, dtype=torch.float32) *
        (-math.log(10000.0) / dim))
    table = torch.zeros(length, dim)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


class SinusoidalPositionalEncoding(nn.Module):
    """Add the sinusoidal position of each token, then apply dropout.

    The same function as the reference ``PositionalEncoding`` (position p
    is the index of the concept token, i.e. the bit), but on a batch-first
    ``(N, L, dim)`` sequence. The table is a non-persistent buffer: it is
    a constant, so checkpoints do not carry it.

    Args:
        dim (int): Token width (even).
        max_len (int): Longest sequence supported.
        dropout (float): Dropout probability after the addition.
        fast_dropout (bool): Draw the dropout mask with
            :func:`~mhash.methods.bsth.fast_dropout.fast_dropout`.
            Defaults to False (``nn.Dropout``).

    Examples:
        >>> encoding = SinusoidalPositionalEncoding(8, max_len=4, dropout=0.)
        >>> encoding(torch.zeros(2, 4, 8)).shape
        torch.Size([2, 4, 8])
    """

    def __init__(self,
                 dim: int,
                 max_len: int,
                 dropout: float = 0.1,
                 fast_dropout: bool = False):
        super().__init__()
        self.dropout = FastDropout(p=dropout, fast=fast_dropout)
        self.register_buffer(
            'table', sinusoidal_table(max_len, dim), persistent=False)

    def forward(self, tokens: Tensor) -> Tensor:
        """Encode ``tokens`` of shape ``(N, L, dim)``."""
        length = tokens.shape[1]
        if length > self.table.shape[0]:
            raise ValueError(
                f'SinusoidalPositionalEncoding: sequence of {length} tokens '
                f'is longer than max_len={self.table.shape[0]}')
        return self.dropout(tokens + self.table[:length])
