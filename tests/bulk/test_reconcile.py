"""The frontier search, against every shape of outcome a request can leave."""

from __future__ import annotations

import anyio
from hypothesis import given
from hypothesis import strategies as st

from alice_async.bulk._reconcile import Presence, find_frontier

OURS, OTHER, ABSENT = Presence.OURS, Presence.OTHER, Presence.ABSENT


def _outcomes() -> st.SearchStrategy[list[Presence]]:
    """In-order processing: OURS up to a point, ABSENT after it, OTHER anywhere."""

    @st.composite
    def build(draw: st.DrawFn) -> list[Presence]:
        size = draw(st.integers(0, 60))
        boundary = draw(st.integers(0, size))
        others = draw(st.lists(st.booleans(), min_size=size, max_size=size))
        return [
            OTHER if other else (OURS if index < boundary else ABSENT)
            for index, other in enumerate(others)
        ]

    return build()


def _search(truth: list[Presence]) -> tuple[int, dict[int, Presence], list[int]]:
    probes: list[int] = []
    known: dict[int, Presence] = {}

    async def probe(index: int) -> Presence:
        probes.append(index)
        return truth[index]

    boundary = anyio.run(find_frontier, len(truth), probe, known)
    return boundary, known, probes


@given(_outcomes())
def test_the_boundary_separates_ours_from_absent(truth: list[Presence]) -> None:
    boundary, known, probes = _search(truth)
    assert len(probes) == len(set(probes)), "a position was probed twice"
    for index, presence in enumerate(truth):
        if presence is OURS:
            assert index < boundary
        elif presence is ABSENT:
            assert index >= boundary
    assert all(known[i] is truth[i] for i in known)


@given(st.integers(1, 1000), st.data())
def test_lookups_are_logarithmic_without_duplicates(size: int, data: st.DataObject) -> None:
    saved = data.draw(st.integers(0, size))
    truth = [OURS] * saved + [ABSENT] * (size - saved)
    boundary, _, probes = _search(truth)
    assert boundary == saved
    if saved == size:
        assert len(probes) == 1  # the usual reset-after-the-work: one lookup
    elif saved == 0:
        assert len(probes) <= 2
    else:
        assert len(probes) <= size.bit_length() + 2


def test_known_positions_are_not_probed_again() -> None:
    truth = [OURS, OTHER, OURS, ABSENT, OTHER]
    probes: list[int] = []
    known = {1: OTHER, 4: OTHER}

    async def probe(index: int) -> Presence:
        probes.append(index)
        return truth[index]

    assert anyio.run(find_frontier, len(truth), probe, known) == 3
    assert 1 not in probes
    assert 4 not in probes


def test_empty_and_all_other() -> None:
    assert _search([])[0] == 0
    assert _search([OTHER, OTHER])[0] == 0
