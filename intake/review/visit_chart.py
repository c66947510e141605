"""The dose-response picture over a patient's visits and check-ins, drawn on the server.

One chart: pain now and PEG on a 0-10 axis, the total MME per day on a second axis, each dose
change marked and the withdrawal window after each cut (<= 4 weeks) shaded. Beside it, the
same numbers as a table, and one sentence that says in rule terms what the data show (oih-facts
section 3 point 1, section 4 M2). Never a diagnosis. Two queries, however many visits.
"""

import datetime
import math

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from intake.check_ins import VisitPoint, dose_steps
from intake.choices import DoseChange
from intake.models import FollowUp, Intake, Screening
from intake.review.pain_history import peg_score
from intake.screening.rules import WITHDRAWAL_WINDOW_WEEKS

CHART_VISITS = 24
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 56, 14, 48
WINDOW = datetime.timedelta(weeks=WITHDRAWAL_WINDOW_WEEKS)


def patient_follow_ups(intake):
    """The patient's follow-ups, newest first: one query, shared by the page's parts."""
    if intake.patient_id is None:
        return []
    return list(FollowUp.objects.filter(patient_id=intake.patient_id).order_by("-started_at"))


def visit_chart(intake, follow_ups=None):
    """Rows, chart and sentence for the patient's visits up to this one; None without a
    follow-up or before its first check-in (the pain chart covers plain visits)."""
    if follow_ups is None:
        follow_ups = patient_follow_ups(intake)
    if not follow_ups:
        return None
    current = Screening.objects.filter(intake=OuterRef("pk"), is_current=True)
    visits = list(
        Intake.objects.submitted()
        .filter(patient_id=intake.patient_id, submitted_at__lte=intake.submitted_at)
        .annotate(mme_total=Subquery(current.values("mme_total")[:1]))
        .order_by("-submitted_at", "-pk")
        .only(
            "pk",
            "kind",
            "reference",
            "submitted_at",
            "pain_score_now",
            "peg_pain",
            "peg_enjoyment",
            "peg_activity",
            "withdrawal_symptoms_between_doses",
        )[:CHART_VISITS]
    )[::-1]
    # Shown once there is something to follow: the visit-by-visit pain chart covers the rest.
    if len(visits) < 2 or not any(visit.is_check_in for visit in visits):
        return None
    planned_on = next(
        (f.planned_dose_change_on for f in follow_ups if f.planned_dose_change_on), None
    )
    points = [
        VisitPoint(timezone.localdate(v.submitted_at), v.mme_total, v.pain_score_now)
        for v in visits
    ]
    steps = dose_steps(points, planned_on)
    windows = [_window(step, points) for step in steps if step.direction == DoseChange.DECREASED]
    rows = [
        {
            "pk": visit.pk,
            "on": point.on,
            "kind": visit.get_kind_display(),
            "reference": visit.reference,
            "pain": visit.pain_score_now,
            "peg": peg_score(visit),
            "mme": visit.mme_total,
            "withdrawal_symptoms": len(visit.withdrawal_symptoms_between_doses),
            "in_window": any(start <= point.on <= end for start, end in windows),
            "is_this_visit": visit.pk == intake.pk,
        }
        for visit, point in zip(visits, points, strict=True)
    ]
    return {
        "rows": rows,
        "chart": _chart(rows, steps, windows),
        "sentence": rule_sentence(points, steps),
    }


def _window(step, points):
    """The withdrawal window after a cut: 4 weeks from its date.

    Facts file silent on a cut whose date is unknown: it may have come the day after the visit
    before, so the window is shaded from that visit to 4 weeks after the cut was first seen.
    """
    if step.changed_on is not None:
        return step.changed_on, step.changed_on + WINDOW
    before = max(p.on for p in points if p.on < step.seen_on)
    return before, step.seen_on + WINDOW


def rule_sentence(points, steps):
    """What the data show, in the rules' terms: the latest dose change and the pain since."""
    if not steps:
        return "The total MME per day did not change between these visits."
    step = steps[-1]
    last = points[-1]
    went = f"the dose went from {_number(step.mme_before)} to {_number(step.mme_after)} MME/day"
    start = step.changed_on or step.seen_on
    weeks = max(0, round((last.on - start).days / 7))
    if step.pain_before is None or last.pain is None:
        return f"After {went}, pain was not scored at every visit."
    if last.pain < step.pain_before:
        pain = f"pain fell from {step.pain_before} to {last.pain}"
    elif last.pain > step.pain_before:
        pain = f"pain rose from {step.pain_before} to {last.pain}"
    else:
        pain = f"pain stayed at {last.pain}"
    sentence = (
        f"{pain[0].upper()}{pain[1:]} over {weeks} week{'s' if weeks != 1 else ''} after {went}"
    )
    if step.direction == DoseChange.INCREASED:
        return sentence + "."
    if step.changed_on is None:
        return sentence + ", on a date not known, so the withdrawal window cannot be ruled out."
    if (last.on - step.changed_on) > WINDOW:
        return sentence + ", outside the withdrawal window."
    return sentence + ", inside the withdrawal window (4 weeks after a cut)."


def _number(value):
    return f"{value:.1f}".removesuffix(".0")


def _nice_ceiling(value):
    """A round top for the MME axis: 10, 20, 50, 100, 200, ... above the largest total."""
    if value <= 0:
        return 10
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _chart(rows, steps, windows):
    first, last = rows[0]["on"], rows[-1]["on"]
    span = max((last - first).days, 1)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    mme_values = [float(row["mme"]) for row in rows if row["mme"] is not None]
    mme_top = _nice_ceiling(max(mme_values, default=0))

    def x(day):
        day = min(max(day, first), last)
        return round(LEFT + plot_width * (day - first).days / span, 1)

    def y(value, top=10):
        return round(TOP + plot_height * (1 - float(value) / top), 1)

    def series(key, top=10):
        points = [
            {
                "on": row["on"],
                "x": x(row["on"]),
                "y": y(row[key], top),
                "corner_x": round(x(row["on"]) - 4, 1),
                "corner_y": round(y(row[key], top) - 4, 1),
            }
            for row in rows
            if row[key] is not None
        ]
        path = " ".join(f"{'M' if i == 0 else 'L'}{p['x']} {p['y']}" for i, p in enumerate(points))
        return {"points": points, "path": path}

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "baseline": y(0),
        "plot_height": plot_height,
        "grid": [
            {"y": y(value), "value": value, "mme": _number(mme_top * value / 10)}
            for value in range(0, 11, 2)
        ],
        "labels": [
            {
                "x": x(row["on"]),
                "text": f"{row['on']:%-d %b}",
                "is_this_visit": row["is_this_visit"],
            }
            for row in rows
        ],
        "label_y": HEIGHT - BOTTOM + 16,
        "axis_label_y": HEIGHT - 6,
        "mme_axis_x": WIDTH - RIGHT + 6,
        "windows": [
            {"x": x(start), "width": round(x(end) - x(start), 1)}
            for start, end in windows
            if end >= first and start <= last
        ],
        "changes": [
            {
                "x": x(step.changed_on or step.seen_on),
                "label": f"{_number(step.mme_before)}→{_number(step.mme_after)}",
                "is_dated": step.changed_on is not None,
            }
            for step in steps
        ],
        "pain": series("pain"),
        "peg": series("peg"),
        "mme": _mme_steps(series("mme", mme_top), steps, x),
    }


def _mme_steps(mme, steps, x):
    """The dose holds until it changes: a dated change is drawn as a step on its day."""
    points = mme["points"]
    step_at = {step.seen_on: step for step in steps if step.changed_on is not None}
    path = []
    for index, point in enumerate(points):
        step = step_at.get(point["on"]) if index else None
        if step is not None:
            change_x = x(step.changed_on)
            path.append(f"L{change_x} {points[index - 1]['y']} L{change_x} {point['y']}")
        path.append(f"{'M' if index == 0 else 'L'}{point['x']} {point['y']}")
    return {"points": points, "path": " ".join(path)}
