"""A small reader of the report's HTML (standard library parser): sections, tables, links."""

from __future__ import annotations

from html.parser import HTMLParser

import attrs


@attrs.define
class Table:
    """One ``<table>``: its class, its header cells and its body rows (``th`` then ``td``s)."""

    css: str
    headers: list[str] = attrs.Factory(list)
    rows: list[list[str]] = attrs.Factory(list)
    values: list[list[str]] = attrs.Factory(list)
    """Per row: the ``data-value`` of each ``td`` (the exact number), text when it has none."""


@attrs.define
class Page:
    sections: dict[str, str] = attrs.Factory(dict)
    """Section id -> its heading text."""
    svgs: dict[str, int] = attrs.Factory(dict)
    """Section id -> number of ``<svg>`` elements in it."""
    tables: dict[str, Table] = attrs.Factory(dict)
    tags: set[str] = attrs.Factory(set)
    attributes: list[tuple[str, str, str]] = attrs.Factory(list)
    """(tag, attribute, value) of every attribute outside the SVGs."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._section: str | None = None
        self._heading = False
        self._table: Table | None = None
        self._row: list[str] | None = None
        self._values: list[str] | None = None
        self._cell: list[str] | None = None
        self._cell_value: str | None = None
        self._in_head = False
        self._svg_depth = 0

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs_}
        self.page.tags.add(tag)
        if tag == "svg":
            self._svg_depth += 1
            if self._section:
                self.page.svgs[self._section] = self.page.svgs.get(self._section, 0) + 1
        if self._svg_depth:
            return
        self.page.attributes += [(tag, k, v) for k, v in found.items()]
        if tag == "section":
            self._section = found.get("id")
            assert self._section
            self.page.sections[self._section] = ""
        elif tag == "h2":
            self._heading = True
        elif tag == "table":
            self._table = Table(found.get("class", ""))
            self.page.tables[self._table.css] = self._table
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row, self._values = [], []
        elif tag in ("th", "td"):
            self._cell = []
            self._cell_value = found.get("data-value") if tag == "td" else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        if self._svg_depth:
            return
        if tag == "h2":
            self._heading = False
        elif tag == "section":
            self._section = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            text = "".join(self._cell).strip()
            assert self._values is not None
            if self._in_head:
                assert self._table is not None
                self._table.headers.append(text)
            else:
                self._row.append(text)
                self._values.append(text if self._cell_value is None else self._cell_value)
            self._cell = None
        elif tag == "tr" and self._row is not None and not self._in_head:
            assert self._table is not None
            assert self._values is not None
            self._table.rows.append(self._row)
            self._table.values.append(self._values)

    def handle_data(self, data: str) -> None:
        if self._svg_depth:
            return
        if self._heading and self._section:
            self.page.sections[self._section] += data
        if self._cell is not None:
            self._cell.append(data)


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page
