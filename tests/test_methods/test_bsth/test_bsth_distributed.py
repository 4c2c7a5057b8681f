# Copyright (c) mhash contributors. All rights reserved.
"""BSTH under MMSeparateDistributedDataParallel (its multi-process wrapper)."""
import torch
import torch.distributed as dist
from mmengine.model import MMSeparateDistributedDataParallel

from mhash.methods.bsth import BSTH


def _model():
    torch.manual_seed(0)
    return BSTH(num_bits=8, image_dim=6, text_dim=5, num_classes=3,
                image_hidden_dims=(8, 8), text_hidden_dims=(8, 8))


def test_wrapped_checkpoint_keys_and_codes_match_the_plain_model(tmp_path):
    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store',
                            rank=0, world_size=1)
    try:
        model = _model()
        labels = torch.tensor([[1., 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]])
        model.label_prototype_loss(labels)
        wrapped = MMSeparateDistributedDataParallel(model)
        codes = model.compute_supervising_codes(labels)  # through the DDP
        state = model.state_dict()
    finally:
        dist.destroy_process_group()
    plain = _model()
    assert set(state) == set(plain.state_dict())  # no '.module.' keys
    plain.load_state_dict(state)
    torch.testing.assert_close(plain.supervising_codes, codes)
    assert wrapped.module is model
    image, text = torch.randn(4, 6), torch.rand(4, 5)
    model.eval()
    plain.eval()
    torch.testing.assert_close(plain.encode(image, text),
                               model.encode(image, text))
