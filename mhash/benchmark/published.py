# Copyright (c) mhash contributors. All rights reserved.
"""Published mAP@all of multi-modal hashing methods on the paper's data.

Source: Tan, Zhu, Guan, Li, Cheng, "Bit-aware Semantic Transformer Hashing
for Multi-modal Retrieval", SIGIR 2022, as re-reported in the CLIPMH paper
(MMM 2025), Table 2; transcribed in the project's method reference
(``docs/BSTH.md`` of the shared notes, section "Published mAP@all"). The
numbers use the files ``mir_cnn_twt.mat`` / ``nus_cnn_twt.mat`` /
``coco_cnn_twt_2014.mat`` (VGG image features, bag-of-words text) and the
evaluation protocol of :mod:`mhash.evaluation` (stable ties, mean over the
queries with a relevant item). They are shown beside our numbers **only**
for those three data sets, never for synthetic data.
"""
from typing import Optional

__all__ = ['PUBLISHED_MAP', 'PUBLISHED_SOURCE', 'PUBLISHED_DATASETS',
           'published_map']

PUBLISHED_SOURCE = ('BSTH (SIGIR 2022), re-reported in CLIPMH (MMM 2025) '
                    'Table 2')
#: Data set names accepted by :func:`published_map`.
PUBLISHED_DATASETS = ('MIR Flickr', 'NUS-WIDE', 'MS COCO')
_BITS = (16, 32, 64, 128)

# method: (MIR 16, 32, 64, 128, NUS 16, 32, 64, 128, COCO 16, 32, 64, 128)
_ROWS = {
    'MFH': (.5795, .5824, .5831, .5836, .3603, .3611, .3625, .3629, .3948,
            .3699, .3960, .3980),
    'MAH': (.6488, .6649, .6990, .7114, .4633, .4945, .5381, .5476, .3967,
            .3943, .3966, .3988),
    'MVLH': (.6541, .6421, .6044, .5982, .4182, .4092, .3789, .3897, .3993,
             .4012, .4065, .4099),
    'MvDH': (.6828, .7210, .7344, .7527, .4947, .5661, .5789, .6122, .3978,
             .3966, .3977, .3998),
    'MFKH': (.6369, .6128, .5985, .5807, .4768, .4359, .4342, .3956, .4216,
             .4211, .4230, .4229),
    'DMVH': (.7231, .7326, .7495, .7641, .5676, .5883, .6902, .6279, .4123,
             .4288, .4355, .4563),
    'FOMH': (.7557, .7632, .7564, .7705, .6329, .6456, .6678, .6791, .5008,
             .5148, .5172, .5294),
    'FDMH': (.7802, .7963, .8094, .8181, .6575, .6665, .6712, .6823, .5404,
             .5485, .5600, .5674),
    'DCMVH': (.8097, .8279, .8354, .8467, .6509, .6625, .6905, .7023, .5387,
              .5427, .5490, .5576),
    'SAPMH': (.7657, .8098, .8188, .8191, .6503, .6703, .6898, .6901, .5467,
              .5502, .5563, .5672),
    'FGCMH': (.8173, .8358, .8377, .8606, .6677, .6874, .6936, .7011, .5641,
              .5273, .5797, .5862),
    'BSTH': (.8145, .8340, .8482, .8571, .6990, .7340, .7505, .7704, .5831,
             .6245, .6459, .6654),
}

#: ``{method: {data set: {bits: mAP@all}}}``.
PUBLISHED_MAP = {
    method: {
        dataset: {
            bits: values[4 * d + b]
            for b, bits in enumerate(_BITS)
        }
        for d, dataset in enumerate(PUBLISHED_DATASETS)
    }
    for method, values in _ROWS.items()
}


def published_map(method: str, dataset: str, bits: int) -> Optional[float]:
    """The published mAP@all, or None when there is none.

    Method names match case-insensitively (``MVDH`` finds ``MvDH``).

    Args:
        method (str): Method name as in the published table.
        dataset (str): One of :data:`PUBLISHED_DATASETS`.
        bits (int): Code length.

    Examples:
        >>> published_map('BSTH', 'MIR Flickr', 32)
        0.834
        >>> published_map('mvdh', 'NUS-WIDE', 16), published_map(
        ...     'BSTH', 'synthetic', 32)
        (0.4947, None)
    """
    by_name = {name.lower(): rows for name, rows in PUBLISHED_MAP.items()}
    rows = by_name.get(str(method).lower())
    if rows is None or dataset not in rows:
        return None
    return rows[dataset].get(int(bits))
