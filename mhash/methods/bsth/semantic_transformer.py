# Copyright (c) mhash contributors. All rights reserved.
"""Module A of BSTH: the bit-aware semantic transformer (the hash function).
"""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from mhash.registry import MODELS
from .bitwise_hash import BitwiseHashHead
from .positional_encoding import SinusoidalPositionalEncoding
from .token_encoder import TokenEncoder

__all__ = [
    'BitAwareSemanticTransformer', 'build_modality_mlp',
    'build_token_encoder'
]


def build_modality_mlp(dims: Sequence[int]) -> nn.Sequential:
    """Eq. 1: ``Linear -> BatchNorm1d -> Tanh`` for each pair of widths.

    Args:
        dims (Sequence[int]): ``[input, hidden..., output]`` widths.

    Examples:
        >>> import torch
        >>> build_modality_mlp([6, 4, 2])(torch.randn(3, 6)).shape
        torch.Size([3, 2])
    """
    layers = []
    for d_in, d_out in zip(dims[:-1], dims[1:]):
        layers += [nn.Linear(d_in, d_out), nn.BatchNorm1d(d_out), nn.Tanh()]
    return nn.Sequential(*layers)


def build_token_encoder(dim: int,
                        num_layers: int,
                        num_heads: int,
                        feedforward_dim: int,
                        dropout: float,
                        activation: str,
                        fast_dropout: bool = True) -> TokenEncoder:
    """A batch-first post-norm transformer encoder with a final LayerNorm.

    The same function as the reference's ``nn.TransformerEncoder`` of
    ``nn.TransformerEncoderLayer`` (post-norm, dropout also on the
    attention weights), laid out batch-first; see :class:`TokenEncoder`.

    Examples:
        >>> import torch
        >>> encoder = build_token_encoder(8, 2, 1, 8, 0.5, 'gelu')
        >>> encoder(torch.randn(3, 4, 8)).shape
        torch.Size([3, 4, 8])
    """
    return TokenEncoder(dim, num_layers, num_heads, feedforward_dim, dropout,
                        activation, fast_dropout)


class ModalityBranch(nn.Module):
    """One modality: MLP (eq. 1), DeLayer (eq. 2), encoder (eq. 3).

    The positional table is added through the DeLayer's bias (one pass
    fewer over the tokens; the same sum).
    """

    def __init__(self, dims: Sequence[int], num_bits: int, num_layers: int,
                 num_heads: int, dropout: float, activation: str,
                 fast_dropout: bool):
        super().__init__()
        token_dim = dims[-1]
        self.num_bits = num_bits
        self.token_dim = token_dim
        self.mlp = build_modality_mlp(dims)
        self.concepts = nn.Linear(token_dim, token_dim * num_bits)
        self.position = SinusoidalPositionalEncoding(
            token_dim,
            max_len=num_bits,
            dropout=dropout,
            fast_dropout=fast_dropout)
        self.encoder = build_token_encoder(token_dim, num_layers, num_heads,
                                           token_dim, dropout, activation,
                                           fast_dropout)

    def encode_tokens(self, hidden: Tensor) -> Tensor:
        """MLP outputs ``(N, d_c)`` to encoded tokens ``(N, k, d_c)``.

        Everything after the MLP treats each item on its own (no batch
        statistics), so it may run on any split of the batch.
        """
        bias = self.concepts.bias + self.position.table.view(-1)
        tokens = F.linear(hidden, self.concepts.weight, bias)
        tokens = self.position.dropout(
            tokens.view(-1, self.num_bits, self.token_dim))
        return self.encoder(tokens)

    def forward(self, features: Tensor) -> Tensor:
        """Features ``(N, d)`` to encoded concept tokens ``(N, k, d_c)``."""
        return self.encode_tokens(self.mlp(features))


@MODELS.register_module()
class BitAwareSemanticTransformer(nn.Module):
    """Module A: (image, text) pair to k continuous bits and label logits.

    Each modality goes through its MLP, is decomposed into k concept tokens
    of width d_c (one per bit), gets sinusoidal positions and its own
    transformer encoder; the two token sequences are summed (eq. 4), bit j
    is hashed from token j by its own function (eq. 6) and a linear head
    predicts the labels from the continuous code (eq. 8, logits; the
    sigmoid is in the loss).

    Args:
        num_bits (int): Code length k.
        num_classes (int): Number of labels c.
        image_dims (Sequence[int]): Image MLP widths, input first,
            e.g. ``(4096, 2048, 128)``.
        text_dims (Sequence[int]): Text MLP widths, e.g. ``(1386, 1024,
            128)``. Both must end with the same token width d_c (even).
        num_layers (int): Encoder layers per modality. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 1.
        dropout (float): Dropout of positions, attention and feed-forward.
            Defaults to 0.5.
        activation (str): Feed-forward activation. Defaults to ``'gelu'``.
        fast_dropout (bool): Draw dropout masks from random bits (same
            distribution, cheaper on CPU). Defaults to True.
        cpu_chunk_tokens (int, optional): On the CPU, run the per-item
            part (DeLayer, positions, encoders, fusion) on slices of the
            batch holding about this many tokens (items x k), so that each
            step's activations stay in the cache (and, with glibc's
            default malloc, below its mmap threshold). The same function;
            dropout masks are drawn slice by slice. ``None`` runs the whole
            batch at once; CUDA tensors always do. Defaults to 4096.

    Examples:
        >>> import torch
        >>> net = BitAwareSemanticTransformer(8, 3, (10, 16), (6, 16))
        >>> codes, logits = net(torch.randn(4, 10), torch.randn(4, 6))
        >>> codes.shape, logits.shape
        (torch.Size([4, 8]), torch.Size([4, 3]))
    """

    def __init__(self,
                 num_bits: int,
                 num_classes: int,
                 image_dims: Sequence[int],
                 text_dims: Sequence[int],
                 num_layers: int = 2,
                 num_heads: int = 1,
                 dropout: float = 0.5,
                 activation: str = 'gelu',
                 fast_dropout: bool = True,
                 cpu_chunk_tokens: Optional[int] = 4096):
        super().__init__()
        if cpu_chunk_tokens is not None and (
                isinstance(cpu_chunk_tokens, bool)
                or not isinstance(cpu_chunk_tokens, int)
                or cpu_chunk_tokens < 1):
            raise ValueError(
                'BitAwareSemanticTransformer: cpu_chunk_tokens must be a '
                f'positive int or None, got {cpu_chunk_tokens!r}')
        if image_dims[-1] != text_dims[-1]:
            raise ValueError(
                'BitAwareSemanticTransformer: image_dims and text_dims must '
                f'end with the same token width, got {list(image_dims)} and '
                f'{list(text_dims)}')
        if image_dims[-1] % 2 or image_dims[-1] % num_heads:
            raise ValueError(
                'BitAwareSemanticTransformer: the token width '
                f'{image_dims[-1]} must be even and divisible by '
                f'num_heads={num_heads}')
        branch = dict(
            num_bits=num_bits,
            num_layers=num_layers,
            num_heads=num_heads,
            dropout=dropout,
            activation=activation,
            fast_dropout=fast_dropout)
        self.image_branch = ModalityBranch(image_dims, **branch)
        self.text_branch = ModalityBranch(text_dims, **branch)
        self.hash_head = BitwiseHashHead(num_bits, image_dims[-1])
        self.classifier = nn.Linear(num_bits, num_classes)
        self.num_bits = num_bits
        self.cpu_chunk_tokens = cpu_chunk_tokens

    def _chunk_size(self, hidden: Tensor) -> int:
        """Items per slice of the per-item part (the batch if unsplit)."""
        if self.cpu_chunk_tokens is None or hidden.device.type != 'cpu':
            return len(hidden)
        return max(1, self.cpu_chunk_tokens // self.num_bits)

    def fuse(self, image_hidden: Tensor, text_hidden: Tensor) -> Tensor:
        """Eq. 2-4 from the MLP outputs: summed tokens ``(N, k, d_c)``."""
        size = self._chunk_size(image_hidden)
        if size >= len(image_hidden):
            return (self.image_branch.encode_tokens(image_hidden) +
                    self.text_branch.encode_tokens(text_hidden))
        return torch.cat([
            self.image_branch.encode_tokens(image) +
            self.text_branch.encode_tokens(text) for image, text in zip(
                image_hidden.split(size), text_hidden.split(size))
        ])

    def forward(self, image: Tensor, text: Tensor) -> Tuple[Tensor, Tensor]:
        """Return continuous codes ``(N, k)`` and label logits ``(N, c)``."""
        fused = self.fuse(
            self.image_branch.mlp(image), self.text_branch.mlp(text))
        codes = self.hash_head(fused)
        return codes, self.classifier(codes)
