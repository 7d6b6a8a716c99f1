"""Figure style and the one ``save_figure`` helper (PNG + SVG + PDF, byte-stable metadata)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates  # noqa: F401  (mpl.dates)
import matplotlib.pyplot as plt

from ..core import atomic
from ..core.paths import FIGURES

# Okabe & Ito (2008) colour-blind-safe palette; black is kept for "other".
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
OTHER = "#7f7f7f"
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<", ">", "p"]


def use_style() -> None:
    """Readable defaults; fixed hash salt so SVG ids do not change between runs."""
    mpl.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "legend.fontsize": 8.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "benchmeta",
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "axes.prop_cycle": mpl.cycler(color=OKABE_ITO),
        }
    )


def style_map(labels: list[str], max_colours: int = len(OKABE_ITO)) -> dict[str, dict]:
    """Colour and marker per label: the first ``max_colours`` labels (pass them most common first)
    get distinct Okabe-Ito colours; the rest share grey with distinct markers."""
    out = {}
    for i, lab in enumerate(labels):
        colour = OKABE_ITO[i] if i < max_colours else OTHER
        out[lab] = {"color": colour, "marker": MARKERS[i % len(MARKERS)]}
    return out


GREYS = [OTHER, "#bdbdbd", "#3d3d3d"]


def fixed_style_map(
    order: list[str], others: list[str], fixed_others: list[str] = ()
) -> dict[str, dict]:
    """Colour and marker per provider that do not depend on which boards are shown: the
    providers in ``order`` always get the same Okabe-Ito colour and marker, those in
    ``fixed_others`` a fixed grey and marker each (by position), and any other provider a grey
    and marker chosen from its name (crc32), so adding a board changes no one's style."""
    import zlib

    combos = [(g, m) for g in GREYS for m in MARKERS]
    out = style_map(order)
    for i, lab in enumerate(fixed_others):
        g, m = combos[(i + len(order)) % len(combos)]
        out.setdefault(lab, {"color": g, "marker": m})
    for lab in others:
        if lab not in out:
            g, m = combos[zlib.crc32(lab.encode()) % len(combos)]
            out[lab] = {"color": g, "marker": m}
    return out


def save_figure(
    fig: plt.Figure, name: str, folder: Path = FIGURES, pdf: bool = True, show: bool = True
) -> list[Path]:
    """Write ``name``.png/.svg(/.pdf) with no timestamps or software-version noise.

    In a notebook (``show``), the PNG just written is displayed, scaled to ``figure.dpi``, and the
    figure is closed: the notebook's inline backend would otherwise draw it a fourth time."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    meta = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    png = b""
    for ext in ["png", "svg"] + (["pdf"] if pdf else []):
        path = folder / f"{name}.{ext}"
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, metadata=meta[ext], bbox_inches="tight")
        atomic.write_bytes(path, buf.getvalue())  # whole or not at all
        paths.append(path)
        png = png or buf.getvalue()
    if show and _in_notebook():
        _display_png(png, mpl.rcParams["figure.dpi"] / mpl.rcParams["savefig.dpi"])
        plt.close(fig)
    return paths


def _in_notebook() -> bool:
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _display_png(png: bytes, scale: float) -> None:
    """Show PNG bytes in the notebook at ``scale`` of their pixel size, resampled and reduced to
    256 colours: the notebook stores screen-size images no larger than the inline backend's."""
    from IPython.display import Image, display
    from PIL import Image as PILImage

    img = PILImage.open(io.BytesIO(png)).convert("RGB")
    if scale < 1:
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        img = img.resize(size, PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    img.quantize(256, method=PILImage.Quantize.FASTOCTREE).save(out, format="png")
    display(Image(data=out.getvalue()))


# --- plots used by the notebooks ------------------------------------------------------------


GROUP_COLOURS = {"benchmark": OKABE_ITO[5], "non-benchmark": OKABE_ITO[4]}
