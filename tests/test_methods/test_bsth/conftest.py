# Copyright (c) mhash contributors. All rights reserved.
import pytest
import torch


@pytest.fixture(autouse=True, scope='module')
def one_thread():
    """Tiny models run fastest (and steadiest on a shared CPU) on 1 thread.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
