"""Phase diagrams drawn with matplotlib (PNG and SVG), deterministic bytes."""

from __future__ import annotations

import io

import numpy as np

__all__ = ["phase_diagram"]


def phase_diagram(result) -> dict[str, bytes | str]:
    """``{"sweep.png": bytes, "sweep.svg": text}`` for a one- or two-axis sweep."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    matplotlib.rcParams["svg.hashsalt"] = "policy"
    used = sorted({int(v) for v in np.unique(result.grid)})
    order = {label: k for k, label in enumerate(used)}
    palette = matplotlib.colormaps["tab20"].colors
    colours = [palette[k % len(palette)] for k in range(len(used))]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(len(used) + 1) - 0.5, len(used))
    remapped = np.vectorize(order.get, otypes=[int])(result.grid)
    figure, axis = plt.subplots(figsize=(8, 5.5 if len(result.axes) == 2 else 3), dpi=100)
    first = result.axes[0]
    if len(result.axes) == 1:
        axis.imshow(remapped[None, :], aspect="auto", cmap=cmap, norm=norm, interpolation="nearest",
                    extent=(float(first.start), float(first.stop), 0, 1))
        axis.set_yticks([])
    else:
        second = result.axes[1]
        axis.imshow(remapped.T, origin="lower", aspect="auto", cmap=cmap, norm=norm,
                    interpolation="nearest",
                    extent=(float(first.start), float(first.stop), float(second.start),
                            float(second.stop)))
        axis.set_ylabel(second.name)
    axis.set_xlabel(first.name)
    axis.set_title(f"Equilibria of {result.game}")
    handles = [Patch(color=colours[order[k]], label=_short(result.labels[k])) for k in used]
    axis.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8,
                frameon=False, ncol=1)
    figure.tight_layout()
    png, svg = io.BytesIO(), io.StringIO()
    figure.savefig(png, format="png", metadata={"Software": None})
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return {"sweep.png": png.getvalue(), "sweep.svg": svg.getvalue()}


def _short(label: str, width: int = 90) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
