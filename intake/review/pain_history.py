"""The patient's pain over their visits: a table and a small line chart drawn on the server."""

from django.utils import timezone

# Pain over time: at most this many visits are drawn, the latest ones.
CHART_VISITS = 12
CHART_WIDTH, CHART_HEIGHT = 520, 210
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 40, 16, 12, 44


def pain_history(intake):
    """The patient's submitted visits up to this one, oldest first, with pain and PEG."""
    if intake.patient_id is None:
        visits = [intake]
    else:
        visits = list(
            intake.patient.intakes.submitted()
            .filter(submitted_at__lte=intake.submitted_at)
            .order_by("submitted_at", "pk")
            .only(
                "pk",
                # Else Django reloads it once per visit.
                "patient",
                "reference",
                "submitted_at",
                "pain_score_now",
                "peg_pain",
                "peg_enjoyment",
                "peg_activity",
            )
        )
    rows = [
        {
            "pk": visit.pk,
            "reference": visit.reference,
            "submitted_at": visit.submitted_at,
            "pain_now": visit.pain_score_now,
            "peg_pain": visit.peg_pain,
            "peg_enjoyment": visit.peg_enjoyment,
            "peg_activity": visit.peg_activity,
            "peg": peg_score(visit),
            "is_this_visit": visit.pk == intake.pk,
        }
        for visit in visits
    ]
    return {"rows": rows, "visit_number": len(rows), "chart": pain_chart(rows[-CHART_VISITS:])}


def peg_score(intake):
    """PEG-3: the mean of its three 0-10 items, when all three were answered."""
    items = [intake.peg_pain, intake.peg_enjoyment, intake.peg_activity]
    if any(item is None for item in items):
        return None
    return round(sum(items) / 3, 1)


def pain_chart(rows):
    """Coordinates for a 0-10 line chart of pain now and PEG, one slot per visit."""
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(index):
        return round(CHART_LEFT + plot_width * (index + 0.5) / len(rows), 1)

    def y(value):
        return round(CHART_TOP + plot_height * (1 - value / 10), 1)

    def series(key):
        points = [
            {
                "x": x(i),
                "y": y(row[key]),
                "corner_x": round(x(i) - 4, 1),
                "corner_y": round(y(row[key]) - 4, 1),
            }
            for i, row in enumerate(rows)
            if row[key] is not None
        ]
        path = " ".join(f"{'M' if i == 0 else 'L'}{p['x']} {p['y']}" for i, p in enumerate(points))
        return {"points": points, "path": path}

    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": y(0),
        "grid": [{"y": y(value), "value": value} for value in range(0, 11, 2)],
        "labels": [
            {
                "x": x(i),
                "text": f"{timezone.localtime(row['submitted_at']):%-d %b %y}",
                "is_this_visit": row["is_this_visit"],
            }
            for i, row in enumerate(rows)
        ],
        "label_y": CHART_HEIGHT - CHART_BOTTOM + 16,
        "pain": series("pain_now"),
        "peg": series("peg"),
    }
