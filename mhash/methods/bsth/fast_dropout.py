# Copyright (c) mhash contributors. All rights reserved.
"""Dropout with a cheaper random mask (same Bernoulli distribution).

On CPU, ``torch.nn.functional.dropout`` spends most of its time in
``bernoulli_``; BSTH drops half of several large token tensors per step,
which made mask generation one of the largest costs of training. Here the
keep-mask for ``p = 0.5`` comes from random *bits* (one random byte gives
eight independent fair coin flips), and for other ``p`` from a uniform
``rand < 1 - p``. Each element is still kept independently with
probability ``1 - p`` and scaled by ``1 / (1 - p)``: the same function in
distribution, drawn from a different random stream than ``nn.Dropout``.
"""
import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ['FastDropout', 'fast_dropout', 'scaled_keep_mask']

_BYTE_TABLES = {}


def _byte_table(device) -> Tensor:
    """(256,) int64 whose 8 bytes are 2 where the index has that bit set.

    Indexing it with random bytes expands each byte into eight mask bytes
    of 0 or 2 in one gather.
    """
    key = str(device)
    if key not in _BYTE_TABLES:
        values = torch.arange(256).unsqueeze(1)
        bits = (values >> torch.arange(8)) & 1
        table = (bits * 2).to(torch.uint8).contiguous().view(torch.int64)
        _BYTE_TABLES[key] = table.view(256).to(device)
    return _BYTE_TABLES[key]


def scaled_keep_mask(shape, p: float, device, dtype=torch.float32) -> Tensor:
    """Mask with value ``1 / (1 - p)`` w.p. ``1 - p`` and 0 otherwise.

    For ``p = 0.5`` it is a ``uint8`` tensor of 0s and 2s built from random
    bytes, eight independent fair bits per byte (cheap to draw, store and
    multiply); otherwise a ``dtype`` tensor from ``rand >= p``.

    Examples:
        >>> mask = scaled_keep_mask((1000, 100), 0.5, 'cpu')
        >>> sorted(mask.unique().tolist())
        [0, 2]
        >>> 0.45 < (mask > 0).float().mean().item() < 0.55
        True
    """
    numel = 1
    for size in shape:
        numel *= size
    if p == 0.5:
        num_bytes = (numel + 7) // 8
        rand = torch.randint(
            0, 256, (num_bytes, ), dtype=torch.int64, device=device)
        mask = _byte_table(rand.device)[rand].view(torch.uint8)
        return mask[:numel].view(shape)
    keep = torch.rand(shape, device=device) >= p
    return keep.to(dtype).mul_(1.0 / (1.0 - p))


def fast_dropout(x: Tensor, p: float, training: bool = True) -> Tensor:
    """Dropout of ``x`` with :func:`scaled_keep_mask`.

    Identity when not training. Autograd keeps only the (small) mask for
    the backward pass.

    Examples:
        >>> x = torch.ones(4, 8)
        >>> torch.equal(fast_dropout(x, 0.5, training=False), x)
        True
        >>> set(fast_dropout(x, 0.5).unique().tolist()) <= {0.0, 2.0}
        True
    """
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    if not 0.0 < p < 1.0:
        raise ValueError(f'fast_dropout: p must be in [0, 1], got {p}')
    return x * scaled_keep_mask(x.shape, p, x.device, x.dtype)


class FastDropout(nn.Dropout):
    """:class:`torch.nn.Dropout` drawing its mask with :func:`keep_mask`.

    Args:
        p (float): Probability of zeroing an element.
        fast (bool): Use :func:`fast_dropout`; ``False`` falls back to
            ``torch.nn.functional.dropout``.
    """

    def __init__(self, p: float = 0.5, fast: bool = True):
        super().__init__(p)
        self.fast = fast

    def forward(self, x: Tensor) -> Tensor:
        if self.fast:
            return fast_dropout(x, self.p, self.training)
        return F.dropout(x, self.p, self.training)
