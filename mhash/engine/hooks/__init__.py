# Copyright (c) mhash contributors. All rights reserved.
__all__ = []
