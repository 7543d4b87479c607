"""Iteration helpers the standard library lacks on Python 3.11."""

import itertools


def batched(iterable, size):
    """Lists of up to `size` items (itertools.batched arrives in Python 3.12)."""
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
