# Copyright (c) mhash contributors. All rights reserved.
from .retrieval_loop import RetrievalTestLoop, RetrievalValLoop
from .shallow_fit_loop import ShallowFitLoop

__all__ = ['RetrievalValLoop', 'RetrievalTestLoop', 'ShallowFitLoop']
