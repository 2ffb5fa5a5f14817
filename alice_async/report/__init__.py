"""Campaign reports: what a manager looks at once a campaign has run.

:func:`build_report` reads a campaign's subscribers and call records through the public
client API and aggregates them into a :class:`CampaignReport` (no extra dependency);
:func:`render_html` turns it into one self-contained HTML page whose charts need the
``report`` extra (matplotlib; :class:`~alice_async.MissingDependencyError` names it when it is
missing); :func:`failed_csv` gives the failed numbers as CSV. ``client.campaigns.report()``
does all three into files.

Example::

    from alice_async.report import build_report, render_html

    report = await build_report(client, campaign.id)
    Path("report.html").write_text(render_html(report), encoding="utf-8")
"""

from ._charts import require_matplotlib as require_matplotlib
from ._data import TALK_TIME_BUCKETS as TALK_TIME_BUCKETS
from ._data import CampaignReport as CampaignReport
from ._data import FailedNumber as FailedNumber
from ._data import HourStats as HourStats
from ._data import build_report as build_report
from ._data import talk_time_bucket as talk_time_bucket
from ._html import FAILED_CSV_COLUMNS as FAILED_CSV_COLUMNS
from ._html import failed_csv as failed_csv
from ._html import render_html as render_html

__all__ = [
    "FAILED_CSV_COLUMNS",
    "TALK_TIME_BUCKETS",
    "CampaignReport",
    "FailedNumber",
    "HourStats",
    "build_report",
    "failed_csv",
    "render_html",
    "require_matplotlib",
    "talk_time_bucket",
]
