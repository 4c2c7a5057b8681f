# Copyright (c) mhash contributors. All rights reserved.
"""Hash centres: one fixed binary code per class, and per-item targets."""
import torch
from torch import Tensor

from mhash.methods import codes_to_binary

__all__ = ['random_hash_centers', 'target_codes']


def random_hash_centers(num_classes: int, num_bits: int,
                        seed: int = 0) -> Tensor:
    """Draw one centre in {-1, +1}^k per class, reproducibly.

    Random centres of k bits are about k/2 bits apart from each other, which
    is what central-similarity hashing asks of them.

    Args:
        num_classes (int): Number of classes c.
        num_bits (int): Code length k.
        seed (int): Seed of the draw. Defaults to 0.

    Returns:
        Tensor: ``float32 (c, k)`` with values in {-1, +1}.

    Examples:
        >>> centers = random_hash_centers(3, 8)
        >>> centers.shape, sorted(centers.unique().tolist())
        (torch.Size([3, 8]), [-1.0, 1.0])
    """
    generator = torch.Generator().manual_seed(seed)
    bits = torch.randint(0, 2, (num_classes, num_bits), generator=generator)
    return bits.float() * 2 - 1


def target_codes(labels: Tensor, centers: Tensor) -> Tensor:
    """The code each item is pulled towards: its classes' centres' sign.

    An item of one class gets that class's centre; an item of several gets
    the bitwise majority of their centres (ties, and items without labels,
    give +1, as :func:`~mhash.methods.codes_to_binary`).

    Args:
        labels (Tensor): Multi-hot labels ``(N, c)``.
        centers (Tensor): Class centres ``(c, k)``.

    Returns:
        Tensor: ``(N, k)`` targets in {-1, +1}, dtype of ``centers``.

    Examples:
        >>> centers = torch.tensor([[1., -1, 1], [1., 1, -1]])
        >>> target_codes(torch.tensor([[1., 0], [1., 1]]), centers)
        tensor([[ 1., -1.,  1.],
                [ 1.,  1.,  1.]])
    """
    summed = labels.to(centers.dtype) @ centers
    return codes_to_binary(summed).to(centers.dtype)
