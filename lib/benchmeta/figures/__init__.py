"""Presentation: takes tables and labels, reads no files, imports only ``core`` and ``stats``.

``style`` (palette, ``save_figure``), ``groups`` (benchmark vs non-benchmark), ``correlation``
(heat maps), ``installability`` (funnel, time to breakage), ``trends`` (scores over release
dates, saturation), ``prisma`` (flow diagram).
The names below are the public surface the notebooks use.
"""

from .correlation import plot_correlation_heatmap, plot_top_pairs
from .groups import plot_coverage, plot_groups, plot_readiness, plot_survival
from .installability import plot_installability
from .passports import plot_passports, plot_time_to_saturation
from .prisma import diagram as prisma_diagram
from .specifications import plot_spec_curve
from .style import GROUP_COLOURS, OKABE_ITO, fixed_style_map, save_figure, style_map, use_style
from .trends import plot_over_time, plot_saturation, plot_saturation_curve

__all__ = [
    "GROUP_COLOURS",
    "OKABE_ITO",
    "plot_correlation_heatmap",
    "plot_coverage",
    "plot_groups",
    "plot_installability",
    "plot_over_time",
    "plot_passports",
    "plot_readiness",
    "plot_saturation",
    "plot_saturation_curve",
    "fixed_style_map",
    "plot_spec_curve",
    "plot_survival",
    "plot_time_to_saturation",
    "plot_top_pairs",
    "prisma_diagram",
    "save_figure",
    "style_map",
    "use_style",
]
