# Copyright (c) mhash contributors. All rights reserved.
"""tune_cpu_allocator: validation and its measurable effect."""
import subprocess
import sys
import textwrap

import pytest

from mhash.utils import TUNED_CPU_ALLOCATOR, tune_cpu_allocator
from mhash.utils.cpu_allocator import _glibc


@pytest.mark.parametrize('value', [-1, 2**31, 1.5, True, '1G'])
def test_bad_threshold_is_rejected_with_its_name(value):
    with pytest.raises(ValueError, match='trim_threshold'):
        tune_cpu_allocator(trim_threshold=value)


@pytest.mark.skipif(_glibc() is None, reason='needs glibc')
def test_tuned_allocator_stops_page_faulting_large_blocks():
    # In a fresh process: allocating, touching and freeing a 64 MiB block
    # page-faults every page each time under glibc's defaults, and (almost)
    # never once the block is kept in the heap.
    script = textwrap.dedent(f"""
        import resource, sys
        import torch
        from mhash.utils import tune_cpu_allocator

        def faults():
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            for _ in range(5):
                torch.ones(16 * 2**20)  # 64 MiB, freed at once
            return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

        default = faults()
        assert tune_cpu_allocator(**{TUNED_CPU_ALLOCATOR!r})
        faults()  # the first block of the heap is faulted once
        print(default, faults())
        """)
    out = subprocess.run([sys.executable, '-c', script], check=True,
                         capture_output=True, text=True).stdout
    default, tuned = map(int, out.split())
    assert default > 5 * 16000 * 0.9  # 5 x 16384 pages of 4 KiB
    assert tuned < default / 10
