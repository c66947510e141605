"""The clinicians' small line charts, drawn on the server: a plot's frame, its 0-10 axis and
its series of points joined by a line, as SVG coordinates the templates place.

Used by the pain chart (pain_history.py) and the dose-response chart (visit_chart.py); each
says where its points fall along x, this module the rest.
"""

from dataclasses import dataclass

MARKER_HALF = 4  # a square marker's half side: its corner is this far up and left of the point
LABEL_GAP = 16  # the x labels' baseline below the plot


@dataclass(frozen=True)
class Plot:
    """A chart's size and margins, in SVG user units."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_width(self):
        return self.width - self.left - self.right

    @property
    def plot_height(self):
        return self.height - self.top - self.bottom

    def y(self, value, top=10):
        """The height of `value` on an axis from 0 to `top`."""
        return round(self.top + self.plot_height * (1 - float(value) / top), 1)

    def frame(self):
        """What every chart's template needs: its size, the plot's edges, the axis lines."""
        return {
            "width": self.width,
            "height": self.height,
            "left": self.left,
            "right": self.width - self.right,
            "baseline": self.y(0),
            "grid": [{"y": self.y(value), "value": value} for value in range(0, 11, 2)],
            "label_y": self.height - self.bottom + LABEL_GAP,
        }

    def series(self, placed, top=10):
        """A line through `placed` (x, value, what else the point carries), skipping values
        that are None: its points, each with its marker's corner, and the path."""
        points = []
        for x, value, extra in placed:
            if value is None:
                continue
            y = self.y(value, top)
            corner = {"corner_x": round(x - MARKER_HALF, 1), "corner_y": round(y - MARKER_HALF, 1)}
            points.append({**extra, "x": x, "y": y, **corner})
        return {"points": points, "path": line_path(points)}


def line_path(points):
    """An SVG path through the points in order."""
    return " ".join(f"{'M' if i == 0 else 'L'}{p['x']} {p['y']}" for i, p in enumerate(points))
