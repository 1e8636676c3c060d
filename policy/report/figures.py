"""Figures drawn with matplotlib (PNG and SVG), deterministic bytes.

* :func:`phase_diagram`: regions of a sweep, symbolic boundaries dashed on top;
* :func:`paths_figure`: a one-axis sweep's equilibrium probabilities and payoffs;
* :func:`policy_figure`: the cheapest policy's cost and control values over a grid;
* :func:`selection_figure`: the principal logit branch, and for 2×2 games the basins
  of attraction of the replicator and best-response dynamics;
* :func:`selection_map_figure`: the risk-dominant profile over a sweep's grid;
* :func:`market_figure`: a market game's choices, payoffs and number of firms along
  one axis.

In the report package's flow (results → typed report → Markdown/HTML/text/JSON →
writer) these are drawn from sweep results while :mod:`.document` builds a
:class:`~.model.SweepReport`, which carries the bytes; the HTML inlines the SVG.
"""

from __future__ import annotations

import io

import numpy as np

__all__ = ["phase_diagram", "paths_figure", "policy_figure", "market_figure", "population_figure",
           "selection_figure", "selection_map_figure"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "policy"
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable
    return plt


def _save(figure, stem: str) -> dict[str, bytes | str]:
    """``{stem.png: bytes, stem.svg: text}`` without dates or software versions."""
    png, svg = io.BytesIO(), io.StringIO()
    figure.savefig(png, format="png", metadata={"Software": None})
    figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    _pyplot().close(figure)
    return {f"{stem}.png": png.getvalue(), f"{stem}.svg": svg.getvalue()}


def phase_diagram(result, boundaries=()) -> dict[str, bytes | str]:
    """``{"sweep.png": bytes, "sweep.svg": text}`` for a one- or two-axis sweep.

    ``boundaries``: :class:`policy.sweep.Boundary` lines, drawn dashed and labelled.
    """
    import matplotlib
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    plt = _pyplot()
    used = sorted({int(v) for v in np.unique(result.grid)})
    order = {label: k for k, label in enumerate(used)}
    palette = matplotlib.colormaps["tab20"].colors
    colours = [palette[k % len(palette)] for k in range(len(used))]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(len(used) + 1) - 0.5, len(used))
    remapped = np.vectorize(order.get, otypes=[int])(result.grid)
    entries = len(used) + bool(boundaries)
    plot, legend = (4.2 if len(result.axes) == 2 else 1.2), 0.22 * entries + 0.2
    height = plot + legend + 1.1  # + title and axis label
    figure, axis = plt.subplots(figsize=(8, height), dpi=100)
    figure.subplots_adjust(left=0.09, right=0.97, top=1 - 0.4 / height, bottom=(legend + 0.7) / height)
    first = result.axes[0]
    if len(result.axes) == 1:
        axis.imshow(remapped[None, :], aspect="auto", cmap=cmap, norm=norm, interpolation="nearest",
                    extent=(*_cells(first), 0, 1))
        axis.set_yticks([])
    else:
        second = result.axes[1]
        axis.imshow(remapped.T, origin="lower", aspect="auto", cmap=cmap, norm=norm,
                    interpolation="nearest",
                    extent=(*_cells(first), *_cells(second)))
        axis.set_ylabel(second.name)
    axis.set_xlabel(first.name)
    axis.set_title(f"Equilibria of {result.game}")
    handles = [Patch(color=colours[order[k]], label=_short(result.labels[k])) for k in used]
    handles += _draw_boundaries(axis, result, boundaries)
    figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.1 / height),
                  fontsize=9, frameon=False, ncol=1)
    return _save(figure, "sweep")


def _draw_boundaries(axis, result, boundaries) -> list:
    """Dashed lines where each boundary expression is zero, clipped to the grid."""
    from matplotlib.lines import Line2D

    import sympy

    if not boundaries:
        return []
    x0, x1 = _cells(result.axes[0])
    for boundary in boundaries:
        if len(result.axes) == 2 and str(boundary.lhs) == result.axes[1].name:
            free = sorted(boundary.rhs.free_symbols, key=str)
            line = sympy.lambdify(free, boundary.rhs, modules="numpy")
            xs = np.linspace(x0, x1, 200)
            ys = np.broadcast_to(np.asarray(line(*([xs] * len(free))), dtype=float), xs.shape)
            axis.plot(xs, ys, "k--", linewidth=1.2)
        else:  # lhs is the first axis, rhs a number: a vertical line
            axis.axvline(float(boundary.rhs), color="k", linestyle="--", linewidth=1.2)
    if len(result.axes) == 2:
        axis.set_ylim(*_cells(result.axes[1]))
    axis.set_xlim(x0, x1)
    return [Line2D([], [], color="k", linestyle="--",
                   label="boundaries from analyze: " + "; ".join(b.equation for b in boundaries))]


def paths_figure(paths) -> dict[str, bytes | str]:
    """Probabilities (one panel per player) and payoffs along one axis, one colour
    per equilibrium branch; ``{"paths.png", "paths.svg"}``."""
    plt = _pyplot()
    import matplotlib

    palette = matplotlib.colormaps["tab10"].colors
    styles = ["-", "--", ":", "-."]
    rows = len(paths.players) + 1
    figure, axes = plt.subplots(rows, 1, figsize=(8, 2.2 * rows + 1.2), dpi=100, sharex=True)
    for b, branch in enumerate(paths.branches):
        colour = palette[b % len(palette)]
        for i, (player, strategies) in enumerate(zip(paths.players, paths.strategies)):
            shown = strategies[:1] if len(strategies) == 2 else strategies
            for j, strategy in enumerate(shown):
                axes[i].plot(paths.x, branch.probabilities[:, i, j], color=colour,
                             linestyle=styles[j % len(styles)], marker=".", markersize=3,
                             label=f"{_short(branch.label, 60)}: P({strategy})")
        for i, player in enumerate(paths.players):
            axes[-1].plot(paths.x, branch.payoffs[:, i], color=colour,
                          linestyle=styles[i % len(styles)], marker=".", markersize=3,
                          label=f"{_short(branch.label, 60)}: {player}")
    for i, player in enumerate(paths.players):
        axes[i].set_ylabel(f"{player}\nprobability")
        axes[i].set_ylim(-0.05, 1.05)
    axes[-1].set_ylabel("payoff")
    axes[-1].set_xlabel(paths.axis)
    axes[0].set_title("Equilibrium strategies and payoffs (one colour per equilibrium)")
    for axis in axes:
        axis.grid(alpha=0.3)
        if axis.get_legend_handles_labels()[0]:  # no equilibrium anywhere: no legend
            axis.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5),
                        frameon=False)
    figure.tight_layout()
    return _save(figure, "paths")


def policy_figure(policy_map) -> dict[str, bytes | str]:
    """Cost and control values of the cheapest policy over the grid (blank where the
    target cannot be implemented, red crosses where the policy found failed
    verification); ``{"policy.png", "policy.svg"}``."""
    plt = _pyplot()

    panels = [("cost", policy_map.cost)] + sorted(policy_map.controls.items())
    first = policy_map.axes[0]
    target = ", ".join(f"{p}={s}" for p, s in policy_map.target.items())
    if len(policy_map.axes) == 1:
        figure, axes = plt.subplots(len(panels), 1, figsize=(8, 1.9 * len(panels) + 1), dpi=100,
                                    sharex=True, squeeze=False)
        x = first.values()
        unverified = ~policy_map.verified & np.isfinite(policy_map.cost)
        for axis, (name, values) in zip(axes[:, 0], panels):
            axis.plot(x, np.where(unverified, np.nan, values), marker=".", markersize=3)
            if unverified.any():
                axis.plot(x[unverified], values[unverified], "rx", markersize=5,
                          label="failed verification")
                axis.legend(fontsize=7, frameon=False)
            axis.set_ylabel(name)
            axis.grid(alpha=0.3)
        axes[-1, 0].set_xlabel(first.name)
    else:
        second = policy_map.axes[1]
        columns = min(len(panels), 3)
        rows = -(-len(panels) // columns)
        figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.6 * rows), dpi=100,
                                    squeeze=False)
        extent = (*_cells(first), *_cells(second))
        for axis, (name, values) in zip(axes.reshape(-1), panels):
            image = axis.imshow(np.ma.masked_invalid(values).T, origin="lower", aspect="auto",
                                interpolation="nearest", extent=extent, cmap="viridis")
            figure.colorbar(image, ax=axis)
            _cross_out_unverified(axis, policy_map)
            axis.set_title(name, fontsize=10)
            axis.set_xlabel(first.name)
            axis.set_ylabel(second.name)
        for axis in axes.reshape(-1)[len(panels):]:
            axis.set_visible(False)
    crosses = "; red x: failed verification" if policy_map.unverified_points else ""
    figure.suptitle(f"Cheapest policy for {target} ({policy_map.robust}); blank: not implementable"
                    + crosses, fontsize=10)
    figure.tight_layout()
    return _save(figure, "policy")


def _cross_out_unverified(axis, policy_map) -> None:
    """A red cross on each grid point whose policy failed verification (2 axes)."""
    unverified = ~policy_map.verified & np.isfinite(policy_map.cost)
    if unverified.any():
        xs, ys = np.meshgrid(policy_map.axes[0].values(), policy_map.axes[1].values(),
                             indexing="ij")
        axis.plot(xs[unverified], ys[unverified], "rx", markersize=5)


def _cells(axis) -> tuple[float, float]:
    """Image limits that centre each grid point's cell on its value."""
    half = float(axis.stop - axis.start) / (axis.points - 1) / 2
    return float(axis.start) - half, float(axis.stop) + half


def _short(label: str, width: int = 90) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def market_figure(sweep) -> dict[str, bytes | str]:
    """A market sweep (:class:`policy.sweep.market.MarketSweep`): each player's choice,
    each player's payoff and (free entry) the number of firms against the axis, one
    panel each; ``{"sweep.png", "sweep.svg"}``."""
    plt = _pyplot()
    x = [float(v) for v in sweep.values]
    rows = 2 + bool(sweep.populations)
    figure, axes = plt.subplots(rows, 1, figsize=(8, 2.2 * rows + 1.0), dpi=100, sharex=True)

    def column(rows_of, index):
        return [np.nan if row[index] is None else row[index] for row in rows_of]

    for i, (player, variable) in enumerate(zip(sweep.players, sweep.variables)):
        axes[0].plot(x, column(sweep.choices, i), marker=".", markersize=3,
                     label=f"{_short(player, 40)}: {variable}")
        axes[1].plot(x, column(sweep.payoffs, i), marker=".", markersize=3,
                     label=_short(player, 40))
    axes[0].set_ylabel("choice (one firm)")
    axes[1].set_ylabel("payoff (one firm)")
    if sweep.populations:
        for population, firms in zip(sweep.populations, sweep.firms):
            axes[2].step(x, [np.nan if f is None else f for f in firms], where="mid",
                         label=_short(population, 40))
        axes[2].set_ylabel("firms (free entry)")
    axes[-1].set_xlabel(sweep.axis.name)
    axes[0].set_title("Equilibrium along the axis")
    for axis in axes:
        axis.grid(alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    figure.tight_layout()
    return _save(figure, "sweep")


def population_figure(sweep) -> dict[str, bytes | str]:
    """A population sweep (:class:`policy.sweep.population.PopulationSweep`): the pure
    equilibrium counts (a run of counts as a vertical bar) and the symmetric mixed
    probabilities against the axis, one panel each; ``{"sweep.png", "sweep.svg"}``."""
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    figure, axes = plt.subplots(2, 1, figsize=(8, 5.4), dpi=100, sharex=True)
    first = _short(sweep.strategies[0], 30)
    xs, ys, mixed_x, mixed_y = [], [], [], []
    for point in sweep.points:
        x = float(point.value)
        for low, high in point.counts:
            if low == high:
                xs.append(x)
                ys.append(low)
            else:
                axes[0].vlines(x, low, high, color="C0", linewidth=2)
        for probability in point.symmetric:
            mixed_x.append(x)
            mixed_y.append(float(probability))
    axes[0].plot(xs, ys, linestyle="none", marker="o", markersize=3, color="C0",
                 label=f"pure: members choosing {first}")
    axes[0].set_ylabel(f"members choosing {first}")
    axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0].set_title("Equilibria along the axis")
    axes[1].plot(mixed_x, mixed_y, linestyle="none", marker="o", markersize=3, color="C1",
                 label=f"symmetric mixed: P({first})")
    axes[1].set_ylabel(f"P({first}), symmetric")
    axes[1].set_ylim(-0.05, 1.05)
    axes[-1].set_xlabel(sweep.axis.name)
    for axis in axes:
        axis.grid(alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=7, loc="best", frameon=False)
    figure.tight_layout()
    return _save(figure, "sweep")


def selection_figure(selection, players, strategies) -> dict[str, bytes | str]:
    """The principal logit branch (each strategy's probability against ``λ / (1 + λ)``,
    so that the whole branch, turning points included, fits) and, for 2×2 games, the
    starting points of each dynamic coloured by the equilibrium they reach;
    ``{"selection.png", "selection.svg"}``."""
    import matplotlib

    plt = _pyplot()
    palette = matplotlib.colormaps["tab10"].colors
    styles = ["-", "--", ":", "-."]
    pictured = [b for b in selection.basins if b.origins]
    figure, axes = plt.subplots(1, 1 + len(pictured), figsize=(4.2 * (1 + len(pictured)), 4.2),
                                dpi=100, squeeze=False)
    path = axes[0, 0]
    logit = selection.logit
    if logit.lambdas:
        x = np.array(logit.lambdas) / (1 + np.array(logit.lambdas))
        for i, (player, names) in enumerate(zip(players, strategies)):
            rows = np.array(logit.profiles[i])
            for j, name in enumerate(names[:1] if len(names) == 2 else names):
                path.plot(x, rows[:, j], color=palette[i % len(palette)],
                          linestyle=styles[j % len(styles)], label=_short(f"{player}: P({name})", 40))
        path.legend(fontsize=7, frameon=False)
    path.set_xlim(0, 1)
    path.set_ylim(-0.05, 1.05)
    path.set_xlabel("λ / (1 + λ)  (λ: precision, payoffs over their scale)")
    path.set_ylabel("probability")
    path.set_title("Logit path" + (f": ends at #{logit.equilibrium + 1}"
                                   if logit.equilibrium is not None else ""), fontsize=10)
    path.grid(alpha=0.3)
    for axis, basin in zip(axes[0, 1:], pictured):
        xs = np.array([o[0] for o in basin.origins])
        ys = np.array([o[1] for o in basin.origins])
        reached = np.array(basin.outcomes)
        for index in sorted(set(basin.outcomes)):
            chosen = reached == index
            colour = "0.6" if index < 0 else palette[index % len(palette)]
            axis.scatter(xs[chosen], ys[chosen], s=4, color=colour, linewidths=0,
                         label="none" if index < 0 else f"#{index + 1}",
                         rasterized=True)  # thousands of dots: an image inside the SVG
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1)
        axis.set_aspect("equal")
        axis.set_xlabel(_short(f"{players[0]}: P({strategies[0][0]}) at the start", 50))
        axis.set_ylabel(_short(f"{players[1]}: P({strategies[1][0]}) at the start", 50))
        axis.set_title(basin.dynamic.replace("_", "-") + " dynamics: basins", fontsize=10)
        axis.legend(fontsize=7, frameon=False, markerscale=3, loc="upper left",
                    bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    return _save(figure, "selection")


def selection_map_figure(found, players, strategies) -> dict[str, bytes | str]:
    """The risk-dominant profile (or the logit limit, by ``found.criterion``) at each
    grid point (grey: none);
    ``{"selection-map.png", "selection-map.svg"}``."""
    import matplotlib
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    plt = _pyplot()
    palette = matplotlib.colormaps["tab10"].colors
    colours = ["0.85"] + [palette[k % len(palette)] for k in range(len(found.profiles))]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(len(colours) + 1) - 1.5, len(colours))
    first = found.axes[0]
    two = len(found.axes) == 2
    figure, axis = plt.subplots(figsize=(8, 5.2 if two else 2.6), dpi=100)
    if two:
        second = found.axes[1]
        axis.imshow(found.labels.T, origin="lower", aspect="auto", cmap=cmap, norm=norm,
                    interpolation="nearest", extent=(*_cells(first), *_cells(second)))
        axis.set_ylabel(second.name)
    else:
        axis.imshow(found.labels[None, :], aspect="auto", cmap=cmap, norm=norm,
                    interpolation="nearest", extent=(*_cells(first), 0, 1))
        axis.set_yticks([])
    axis.set_xlabel(first.name)
    logit = getattr(found, "criterion", "risk dominance") == "logit limit"
    axis.set_title("Logit limit" if logit else "Risk-dominant equilibrium", fontsize=10)
    shown = sorted(found.counts())
    none = ("a mixed equilibrium, or not certified" if logit
            else "none (fewer than two strict equilibria, or a tie)")
    handles = [Patch(color=colours[k + 1], label=none
                     if k < 0 else _short(", ".join(
        f"{p}={strategies[i][found.profiles[k][i]]}" for i, p in enumerate(players)), 60))
               for k in shown]
    axis.legend(handles=handles, fontsize=8, frameon=False, loc="upper left",
                bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    return _save(figure, "selection-map")
