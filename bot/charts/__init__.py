"""The /timeline chart: ``model`` decides what it shows (pure), ``draw`` draws it with matplotlib (imported with
this package, so importers that may never draw a chart import it when first needed)."""

from __future__ import annotations

from bot.charts.draw import row_labels, timeline_figure, timeline_png
from bot.charts.model import MAX_ROWS, ChartLabels, chart_labels
from bot.charts.shapes import STATE_COLOURS

__all__ = ["MAX_ROWS", "STATE_COLOURS", "ChartLabels", "chart_labels", "row_labels", "timeline_figure", "timeline_png"]
