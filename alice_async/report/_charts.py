"""The report's charts: matplotlib figures rendered to inline SVG (the ``report`` extra).

No pyplot and no global backend switch: each chart is a ``Figure`` drawn by the SVG canvas,
so making a report changes nothing in an application that also uses matplotlib. Text is
drawn with DejaVu Sans (shipped with matplotlib, it has every Vietnamese glyph) and turned
into paths, so the SVG looks the same in any browser, with no font to load.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .._exceptions import MissingDependencyError

if TYPE_CHECKING:
    from ._data import CampaignReport

__all__ = ["charts", "require_matplotlib"]

_ANSWER = "#2e7d32"
_OTHER = "#c62828"
_NEUTRAL = "#1565c0"
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "path",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def require_matplotlib() -> Any:
    """Import matplotlib, or explain which extra installs it."""
    try:
        import matplotlib
        from matplotlib.backends import backend_svg  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(
            "campaign reports draw their charts with matplotlib, which is not installed: "
            "pip install 'alice-sdk[report]'",
            extra="report",
            name="matplotlib",
        ) from exc
    return matplotlib


def charts(report: CampaignReport) -> dict[str, str]:
    """Every chart of the report as an ``<svg>`` element, by section id."""
    matplotlib = require_matplotlib()
    drawers: dict[str, Callable[[], str]] = {
        "outcomes": lambda: _outcomes(report),
        "hours": lambda: _hours(report),
        "talk-time": lambda: _bars(
            list(report.talk_time),
            list(report.talk_time.values()),
            "Answered calls by talk time",
            "answered calls",
            _NEUTRAL,
        ),
        "attempts": lambda: _bars(
            [str(n) for n in report.attempts],
            list(report.attempts.values()),
            "Subscribers by number of calls received",
            "subscribers",
            _NEUTRAL,
        ),
    }
    svgs: dict[str, str] = {}
    for key, draw in drawers.items():
        # A salt per chart: ids are stable (same data, same file) and never clash between
        # the charts of one page (a clip-path id resolves to the first element that has it).
        with matplotlib.rc_context({**_RC, "svg.hashsalt": f"alice-report-{key}"}):
            svgs[key] = draw()
    return svgs


def _figure(width: float = 7.5, height: float = 3.0) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure: Any) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    start = text.index("<svg")
    svg = text[start:]
    return re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r'\1 width="100%"', svg, count=1)


def _outcomes(report: CampaignReport) -> str:
    figure = _figure()
    left, right = figure.subplots(1, 2)
    names = list(report.dispositions)
    colours = [_ANSWER if name == "ANSWER" else _OTHER for name in names]
    _barh(left, names, list(report.dispositions.values()), colours, "Dispositions")
    causes = list(report.hangup_causes)
    colours = [_ANSWER if name == "NORMAL_CLEARING" else _OTHER for name in causes]
    _barh(right, causes, list(report.hangup_causes.values()), colours, "Hangup causes")
    figure.suptitle(f"{report.campaign.name}: how the calls ended")
    return _svg(figure)


def _barh(
    axes: Any, labels: Sequence[str], values: Sequence[int], colours: Any, title: str
) -> None:
    positions = range(len(labels))
    axes.barh(positions, values, color=colours)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_title(title)
    for y, value in zip(positions, values, strict=True):
        axes.annotate(
            f"{value:,}", (value, y), xytext=(3, 0), textcoords="offset points", va="center"
        )
    axes.margins(x=0.18)


def _hours(report: CampaignReport) -> str:
    figure = _figure()
    axes = figure.subplots()
    hours = [h.hour for h in report.hours]
    answered = [h.answered for h in report.hours]
    other = [h.calls - h.answered for h in report.hours]
    axes.bar(hours, answered, color=_ANSWER, label="answered")
    axes.bar(hours, other, bottom=answered, color=_OTHER, label="not answered")
    axes.set_xticks(range(0, 24, 2))
    axes.set_xlim(-0.6, 23.6)
    axes.set_xlabel(f"hour of day ({report.time_zone})")
    axes.set_ylabel("calls")
    rates = axes.twinx()
    rate_hours = [h.hour for h in report.hours if h.calls]
    rate_values = [100 * h.answered / h.calls for h in report.hours if h.calls]
    rates.plot(
        rate_hours, rate_values, color="#000000", marker="o", markersize=3, label="answer rate"
    )
    rates.set_ylim(0, 105)
    rates.set_ylabel("answer rate (%)")
    rates.spines["right"].set_visible(True)
    handles = axes.get_legend_handles_labels()[0] + rates.get_legend_handles_labels()[0]
    axes.legend(handles=handles, loc="upper left", frameon=False)
    axes.set_title(f"{report.campaign.name}: calls and answer rate by hour")
    return _svg(figure)


def _bars(labels: list[str], values: list[int], title: str, unit: str, colour: str) -> str:
    figure = _figure(height=2.6)
    axes = figure.subplots()
    positions = range(len(labels))
    axes.bar(positions, values, color=colour)
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel(unit)
    axes.set_title(title)
    for x, value in zip(positions, values, strict=True):
        axes.annotate(
            f"{value:,}", (x, value), xytext=(0, 2), textcoords="offset points", ha="center"
        )
    axes.margins(y=0.15)
    return _svg(figure)
