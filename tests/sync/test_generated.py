"""The generated sync code: up to date with alice_async, and produced for any new endpoint."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import alice_async

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen_sync() -> ModuleType:
    """``scripts/gen_sync.py`` imported as a module."""
    spec = importlib.util.spec_from_file_location("gen_sync", ROOT / "scripts" / "gen_sync.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_sync", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_generated_files_are_up_to_date(gen_sync: ModuleType) -> None:
    """Fails when alice_async gained or changed an endpoint: run python scripts/gen_sync.py."""
    stale = [str(path.relative_to(ROOT)) for path in gen_sync.stale_files()]
    assert not stale, f"stale: {stale}; run: python scripts/gen_sync.py"


NEW_RESOURCE = '''
from __future__ import annotations

from collections.abc import AsyncIterable, Iterable

from alice_async import AsyncPaginator, Phonebook
from alice_async._types import NOT_GIVEN, NotGiven, TimeoutTypes
from alice_async.resources._base import Resource

Rows = Iterable[str] | AsyncIterable[str]


class Widgets(Resource):
    """Widgets."""

    _path = "widget/"

    def list(self, *, colour: str | None = None) -> AsyncPaginator[Phonebook]:
        """Widgets of a colour."""
        raise NotImplementedError

    async def paint(
        self, id: int, /, colour: str = "red", *rest: int, rows: Rows,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN, **extra: object,
    ) -> Phonebook:
        """Paint a widget."""
        raise NotImplementedError

    async def stream(self) -> AsyncIterable[int]:
        yield 1
'''


@pytest.fixture
def new_resource(tmp_path: Path) -> Iterator[ModuleType]:
    """A resource module alice_async does not have (yet): what a new endpoint looks like."""
    path = tmp_path / "widgets_resource.py"
    path.write_text(textwrap.dedent(NEW_RESOURCE), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("widgets_resource", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["widgets_resource"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["widgets_resource"]


def render(gen_sync: ModuleType, fn: object) -> str:
    """The generated method in a class, laid out by ruff as the generator lays out its output."""
    imports = gen_sync.Imports({})
    paginator = alice_async.AsyncPaginator
    method = gen_sync.read_method(fn, imports, paginator)
    lines: list[str] = gen_sync.render_method(method)
    module = "\n".join([imports.render(), "", "", "class Widgets:", *lines, ""])
    formatted: str = gen_sync.ruff_formatted(module, gen_sync.RESOURCES_FILE)
    return formatted


def test_a_new_list_method_gets_a_sync_paginator_built_in_the_calling_thread(
    gen_sync: ModuleType, new_resource: ModuleType
) -> None:
    code = render(gen_sync, new_resource.Widgets.list)

    assert ") -> SyncPaginator[Phonebook]:" in code
    assert "return SyncPaginator(" in code
    assert "self._async.list(" in code
    assert "self._bridge.run" not in code  # list() does not wait for the loop
    assert "colour=colour," in code


def test_a_new_coroutine_method_keeps_its_signature(
    gen_sync: ModuleType, new_resource: ModuleType
) -> None:
    code = render(gen_sync, new_resource.Widgets.paint)

    for line in (
        "        id: int,\n        /,\n",
        '        colour: str = "red",\n        *rest: int,\n',
        "        rows: Iterable[str],\n",  # the alias spelled out, without AsyncIterable
        "        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,\n",
        "        **extra: object,\n    ) -> Phonebook:\n",
        "        return self._bridge.run(\n",
        "id,\n",
        "colour,\n",
        "*rest,\n",
        "rows=rows,\n",
        "from alice_async._types import NOT_GIVEN, NotGiven, TimeoutTypes",
        "from collections.abc import Iterable",
    ):
        assert line in code


def test_an_async_generator_is_refused_with_its_name(
    gen_sync: ModuleType, new_resource: ModuleType
) -> None:
    with pytest.raises(gen_sync.GenerationError, match=r"Widgets\.stream: an async generator"):
        render(gen_sync, new_resource.Widgets.stream)
