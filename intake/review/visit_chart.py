"""The dose-response picture over a patient's visits and check-ins, drawn on the server.

One chart: pain now and PEG on a 0-10 axis, the total MME per day on a second axis, each change
of opioids marked and the withdrawal window after each cut, stop or switch (<= 4 weeks) shaded.
Beside it, the same numbers as a table, and one sentence that says in rule terms what the data
show (oih-facts section 3 point 1, section 4 M2, follow-up rulings F1-F4), worded by the rules
themselves (`screening.follow_up.chart_sentence`). Never a diagnosis. Two queries, however
many visits.
"""

import math

from intake.check_ins import patient_visits, visit_of
from intake.models import FollowUp
from intake.review.line_chart import Plot
from intake.review.pain_history import peg_score
from intake.screening import follow_up as follow_up_rules

CHART_VISITS = 24
PLOT = Plot(width=640, height=260, left=40, right=56, top=14, bottom=48)


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
    intakes = patient_visits(intake.patient, up_to=intake, limit=CHART_VISITS)
    # Shown once there is something to follow: the visit-by-visit pain chart covers the rest.
    if len(intakes) < 2 or not any(visit.is_check_in for visit in intakes):
        return None
    planned_on = next(
        (f.planned_dose_change_on for f in follow_ups if f.planned_dose_change_on), None
    )
    visits = [visit_of(visit, visit.medicine_items) for visit in intakes]
    changes = follow_up_rules.changes(visits, planned_on)
    withdrawal_changes = [change for change in changes if change.can_cause_withdrawal]
    windows = [(change.window_starts, change.window_ends) for change in withdrawal_changes]
    rows = []
    for index, (visit, point) in enumerate(zip(intakes, visits, strict=True)):
        total = follow_up_rules.total(point)
        rows.append(
            {
                "pk": visit.pk,
                "on": point.on,
                "kind": visit.get_kind_display(),
                "reference": visit.reference,
                "pain": visit.pain_score_now,
                "peg": peg_score(visit),
                "mme": total.shown,
                "mme_words": _mme_cell(total),
                "withdrawal_symptoms": len(visit.withdrawal_symptoms_between_doses),
                # From the visit where the change was seen: the visit before was on the old dose.
                "in_window": any(
                    index >= change.seen_at and point.on <= change.window_ends
                    for change in withdrawal_changes
                ),
                "is_this_visit": visit.pk == intake.pk,
            }
        )
    return {
        "rows": rows,
        "chart": _chart(rows, changes, windows),
        "sentence": follow_up_rules.chart_sentence(visits, planned_on),
    }


def _mme_cell(total):
    """The table's MME cell: the total, "at least" a lower bound, or why there is none."""
    if total.is_nothing_counted:
        return "none counted"
    if total.shown is None:
        return "not computed"
    figure = f"{total.shown:.1f}"
    return f"at least {figure}" if total.is_lower_bound else figure


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


def _chart(rows, changes, windows):
    first, last = rows[0]["on"], rows[-1]["on"]
    span = max((last - first).days, 1)
    mme_values = [float(row["mme"]) for row in rows if row["mme"] is not None]
    mme_top = _nice_ceiling(max(mme_values, default=0))

    def x(day):
        day = min(max(day, first), last)
        return round(PLOT.left + PLOT.plot_width * (day - first).days / span, 1)

    def series(key, top=10):
        return PLOT.series(((x(row["on"]), row[key], {"on": row["on"]}) for row in rows), top)

    frame = PLOT.frame()
    for line in frame["grid"]:
        line["mme"] = _number(mme_top * line["value"] / 10)
    return {
        **frame,
        "top": PLOT.top,
        "plot_height": PLOT.plot_height,
        "labels": [
            {
                "x": x(row["on"]),
                "text": f"{row['on']:%-d %b}",
                "is_this_visit": row["is_this_visit"],
            }
            for row in rows
        ],
        "axis_label_y": PLOT.height - 6,
        "mme_axis_x": PLOT.width - PLOT.right + 6,
        "windows": [
            {"x": x(start), "width": round(x(end) - x(start), 1)}
            for start, end in windows
            if end >= first and start <= last
        ],
        "changes": [
            {
                "x": x(change.changed_on or change.seen_on),
                "label": _change_label(change),
                "is_dated": change.is_dated,
            }
            for change in changes
        ],
        "pain": series("pain"),
        "peg": series("peg"),
        "mme": _mme_steps(series("mme", mme_top), changes, x),
    }


def _change_label(change):
    """The marker's label: "120→80" for a cut or an increase, else what kind of change."""
    if change.kind in (follow_up_rules.CUT, follow_up_rules.INCREASE):
        return f"{_number(change.total_before.shown)}→{_number(change.total_after.shown)}"
    return {follow_up_rules.STOP: "stopped", follow_up_rules.START: "started"}.get(
        change.kind, "switched"
    )


def _mme_steps(mme, changes, x):
    """The dose holds until it changes: a dated change is drawn as a step on its day."""
    points = mme["points"]
    step_at = {change.seen_on: change for change in changes if change.is_dated}
    path = []
    for index, point in enumerate(points):
        step = step_at.get(point["on"]) if index else None
        if step is not None:
            change_x = x(step.changed_on)
            path.append(f"L{change_x} {points[index - 1]['y']} L{change_x} {point['y']}")
        path.append(f"{'M' if index == 0 else 'L'}{point['x']} {point['y']}")
    return {"points": points, "path": " ".join(path)}
