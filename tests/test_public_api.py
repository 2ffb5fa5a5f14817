"""The public surface: ``alice_sync`` mirrors ``alice_async`` name for name, method for method.

``alice_sync.__all__`` is ``alice_async.__all__`` plus exactly one name, ``SyncPaginator``.
Of the shared names only ``AliceClient`` is ``alice_sync``'s own class; every other one is the
very object ``alice_async`` exports (the same models, enums and exceptions, so ``except`` and
``isinstance`` work across both). Every public method of the async client and of its resources
has a sync twin with the same parameters: names, kinds and defaults.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import alice_async
import alice_sync
from alice_async.resources._base import Resource

SYNC_ONLY = {"SyncPaginator"}
"""The only names alice_sync adds to alice_async's."""
OWN_CLASSES = {"AliceClient"}
"""The shared names alice_sync defines itself."""
LIFECYCLE = {"aclose": "close"}
"""Async client methods whose sync twin has another name."""


@pytest.fixture(scope="module")
def async_client() -> alice_async.AliceClient:
    """A client that is never opened: only its attributes are looked at."""
    return alice_async.AliceClient("http://127.0.0.1:9/rest-api/", token="t")


@pytest.fixture
def sync_client() -> Iterator[alice_sync.AliceClient]:
    with alice_sync.AliceClient("http://127.0.0.1:9/rest-api/", token="t") as client:
        yield client


def test_alice_sync_exports_alice_asyncs_names_plus_sync_paginator() -> None:
    assert set(alice_sync.__all__) == set(alice_async.__all__) | SYNC_ONLY
    assert len(alice_sync.__all__) == len(set(alice_sync.__all__))
    assert len(alice_async.__all__) == len(set(alice_async.__all__))


@pytest.mark.parametrize("package", [alice_async, alice_sync])
def test_every_exported_name_resolves(package: Any) -> None:
    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert not missing


def test_shared_names_are_the_same_objects_except_the_client() -> None:
    different = {
        name
        for name in alice_async.__all__
        if getattr(alice_sync, name) is not getattr(alice_async, name)
    }
    assert different == OWN_CLASSES


def test_the_constructors_take_the_same_parameters() -> None:
    assert_same_parameters(alice_sync.AliceClient.__init__, alice_async.AliceClient.__init__)


def test_every_public_client_attribute_has_a_sync_twin(
    async_client: alice_async.AliceClient, sync_client: alice_sync.AliceClient
) -> None:
    names = {LIFECYCLE.get(n, n) for n in dir(async_client) if not n.startswith("_")}
    missing = {n for n in names if not hasattr(sync_client, n)}
    assert not missing
    for name in names - set(LIFECYCLE.values()):
        async_attr = getattr(async_client, name)
        if inspect.ismethod(async_attr):
            assert_same_parameters(getattr(sync_client, name), async_attr)


def test_the_same_resources_hang_off_both_clients(
    async_client: alice_async.AliceClient, sync_client: alice_sync.AliceClient
) -> None:
    async_tree = resource_tree(async_client)
    sync_tree = {path: getattr_path(sync_client, path) for path in async_tree}

    assert async_tree  # the walk found the resources
    for path, sync_resource in sync_tree.items():
        assert type(sync_resource).__name__ == type(async_tree[path]).__name__, path


def test_every_resource_method_has_a_sync_twin(
    async_client: alice_async.AliceClient, sync_client: alice_sync.AliceClient
) -> None:
    checked = 0
    for path, resource in resource_tree(async_client).items():
        twin = getattr_path(sync_client, path)
        for name in public_methods(resource):
            assert hasattr(twin, name), f"alice_sync lacks {path}.{name}"
            assert_same_parameters(getattr(twin, name), getattr(resource, name))
            checked += 1
        assert set(public_methods(twin)) == set(public_methods(resource)), path
    assert checked >= 10


def test_sync_paginator_mirrors_async_paginator() -> None:
    async_methods = public_methods(alice_async.AsyncPaginator)
    sync_methods = public_methods(alice_sync.SyncPaginator)

    assert set(sync_methods) == set(async_methods)
    for name in async_methods:
        assert_same_parameters(sync_methods[name], async_methods[name])
    assert public_properties(alice_sync.SyncPaginator) == public_properties(
        alice_async.AsyncPaginator
    )
    assert hasattr(alice_async.AsyncPaginator, "__aiter__")
    assert hasattr(alice_sync.SyncPaginator, "__iter__")


def test_a_sync_paginator_reports_its_async_paginators_prefetch(
    sync_client: alice_sync.AliceClient,
) -> None:
    assert sync_client.cdr.list(prefetch=7).prefetch == 7
    assert sync_client.cdr.list(prefetch=7).as_dicts().prefetch == 7


# -- helpers --------------------------------------------------------------------------------


def resource_tree(client: alice_async.AliceClient) -> dict[str, Resource]:
    """``{"contacts": ..., "a.b": ...}``: every resource reachable from an async client."""
    tree: dict[str, Resource] = {}

    def walk(owner: object, prefix: str) -> None:
        for name, value in vars(owner).items():
            if not name.startswith("_") and isinstance(value, Resource):
                tree[prefix + name] = value
                walk(value, f"{prefix}{name}.")

    walk(client, "")
    return tree


def getattr_path(obj: object, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def public_methods(obj: object) -> dict[str, Callable[..., Any]]:
    return {
        name: getattr(obj, name)
        for name in dir(obj)
        if not name.startswith("_") and inspect.isroutine(getattr(obj, name))
    }


def public_properties(cls: type) -> set[str]:
    """The public properties of a class (``prefetch``), compared like the methods."""
    return {
        name
        for name in dir(cls)
        if not name.startswith("_") and isinstance(getattr(cls, name), property)
    }


def assert_same_parameters(sync_fn: Callable[..., Any], async_fn: Callable[..., Any]) -> None:
    """Same parameter names, kinds and defaults, in the same order (annotations may differ:
    the sync twin drops ``AsyncIterable`` from what it accepts)."""

    def shape(fn: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
        parameters = inspect.signature(fn).parameters.values()
        return [(p.name, p.kind, p.default) for p in parameters]

    assert shape(sync_fn) == shape(async_fn), getattr(async_fn, "__qualname__", async_fn)
