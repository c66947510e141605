"""The patient's pain over their visits: a table and a small line chart drawn on the server."""

from django.utils import timezone

from intake.review.line_chart import Plot

# Pain over time: at most this many visits are drawn, the latest ones.
CHART_VISITS = 12
PLOT = Plot(width=520, height=210, left=40, right=16, top=12, bottom=44)


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

    def x(index):
        return round(PLOT.left + PLOT.plot_width * (index + 0.5) / len(rows), 1)

    def series(key):
        return PLOT.series((x(i), row[key], {}) for i, row in enumerate(rows))

    return {
        **PLOT.frame(),
        "labels": [
            {
                "x": x(i),
                "text": f"{timezone.localtime(row['submitted_at']):%-d %b %y}",
                "is_this_visit": row["is_this_visit"],
            }
            for i, row in enumerate(rows)
        ],
        "pain": series("pain_now"),
        "peg": series("peg"),
    }
