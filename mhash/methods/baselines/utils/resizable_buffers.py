# Copyright (c) mhash contributors. All rights reserved.
"""Buffers whose shape is only known once a shallow method is fitted."""
from torch import nn

__all__ = ['ResizableBuffersMixin']


class ResizableBuffersMixin:
    """Let ``load_state_dict`` resize buffers to the saved shapes.

    A shallow method may learn its input dimensions from the data it is
    fitted on, so a freshly built model holds empty placeholders (for
    example ``torch.empty(0, num_bits)``) where the checkpoint holds fitted
    arrays. Mixed into an ``nn.Module`` (before it in the bases), this
    replaces every *own* buffer whose saved shape differs by an empty buffer
    of the saved shape (same dtype and device) before the ordinary loading,
    so that ``load_from`` of a fitted checkpoint into a new model works with
    both torch's and mmengine's loaders (both call
    ``_load_from_state_dict`` on every sub-module).

    Examples:
        >>> import torch
        >>> class Projection(ResizableBuffersMixin, torch.nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.register_buffer('weight', torch.empty(0, 2))
        >>> fitted, fresh = Projection(), Projection()
        >>> fitted.weight = torch.ones(3, 2)
        >>> _ = fresh.load_state_dict(fitted.state_dict())
        >>> tuple(fresh.weight.shape)
        (3, 2)
    """

    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              strict, missing_keys, unexpected_keys,
                              error_msgs):
        assert isinstance(self, nn.Module)
        for name, buffer in list(self._buffers.items()):
            key = prefix + name
            if buffer is None or key not in state_dict:
                continue
            saved = state_dict[key]
            if tuple(saved.shape) != tuple(buffer.shape):
                self._buffers[name] = buffer.new_empty(saved.shape)
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)
