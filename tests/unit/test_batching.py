"""Long imports pause Python's full garbage collections, and only while they run."""

from __future__ import annotations

import gc
import weakref

from fairlane.services.bulk import young_collections_only


class _Node:
    partner: _Node | None = None


def test_a_batch_pauses_full_collections_yet_frees_each_chunks_garbage_cycles() -> None:
    assert gc.isenabled()
    with young_collections_only() as collected:
        assert not gc.isenabled()
        node = _Node()
        node.partner = node  # a cycle: reference counting alone never frees it
        gone = weakref.ref(node)
        del node
        assert gone() is not None
        collected()
        assert gone() is None
    assert gc.isenabled()


def test_collections_resume_even_when_the_batch_fails() -> None:
    try:
        with young_collections_only():
            raise RuntimeError("the database went away")
    except RuntimeError:
        pass
    assert gc.isenabled()
