"""Presentation: takes tables and labels, reads no files, imports only ``core`` and ``stats``.

``style`` (palette, ``save_figure``), ``groups`` (benchmark vs non-benchmark), ``correlation``
(heat maps), ``trends`` (scores over release dates, saturation), ``prisma`` (flow diagram).
The names below are the public surface the notebooks use.
"""

from .correlation import plot_correlation_heatmap
from .groups import plot_coverage, plot_groups, plot_readiness, plot_survival
from .prisma import diagram as prisma_diagram
from .specifications import plot_spec_curve
from .style import GROUP_COLOURS, OKABE_ITO, save_figure, style_map, use_style
from .trends import plot_over_time, plot_saturation

__all__ = [
    "GROUP_COLOURS",
    "OKABE_ITO",
    "plot_correlation_heatmap",
    "plot_coverage",
    "plot_groups",
    "plot_over_time",
    "plot_readiness",
    "plot_saturation",
    "plot_spec_curve",
    "plot_survival",
    "prisma_diagram",
    "save_figure",
    "style_map",
    "use_style",
]
