"""The review dashboard: flags raised per week, and how often each rule is overridden.

Many alerts are overridden in practice (oih-facts section 7), so the clinic watches
which reasons clinicians keep overriding: those rules are the noisy ones.
"""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, DateField, F, Func, Q
from django.db.models.functions import TruncWeek
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake, Review, Screening
from intake.review import access

WEEKS = 12
CHART_WIDTH, CHART_HEIGHT = 640, 230
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 40, 12, 12, 44

FLAG, BORDERLINE = Screening.Level.FLAG, Screening.Level.BORDERLINE
ACCEPT, OVERRIDE, FOLLOW_UP = (
    Review.Decision.ACCEPT,
    Review.Decision.OVERRIDE,
    Review.Decision.FOLLOW_UP,
)


def raised_screenings():
    """The OIH results the worklist raised: current flags and borderline results of
    submitted intakes, without repeats of evidence already reviewed (alerts aside)."""
    return Screening.objects.needing_review().filter(
        level__in=[FLAG, BORDERLINE],
        intake__status=Intake.Status.SUBMITTED,
        is_repeat_of_reviewed=False,
    )


def weekly_counts(today, weeks=WEEKS):
    """One row per week (Monday first), oldest first, for the `weeks` weeks up to `today`:
    raised screenings by level and by review status, by the week the intake was submitted."""
    this_monday = today - datetime.timedelta(days=today.weekday())
    first_monday = this_monday - datetime.timedelta(weeks=weeks - 1)
    counted = (
        raised_screenings()
        # The date narrows the rows by index; the week test below is the exact one.
        .filter(intake__submitted_at__gte=_start_of(first_monday) - datetime.timedelta(days=1))
        .annotate(week=TruncWeek("intake__submitted_at", output_field=DateField()))
        .filter(week__gte=first_monday, week__lte=this_monday)
        .values("week")
        .annotate(
            flag=Count("pk", filter=Q(level=FLAG)),
            borderline=Count("pk", filter=Q(level=BORDERLINE)),
            unreviewed=Count("pk", filter=Q(review__isnull=True)),
            accepted=Count("pk", filter=Q(review__decision=ACCEPT)),
            overridden=Count("pk", filter=Q(review__decision=OVERRIDE)),
            follow_up=Count("pk", filter=Q(review__decision=FOLLOW_UP)),
        )
        .order_by()
    )
    by_week = {row.pop("week"): row for row in counted}
    empty = dict.fromkeys(
        ("flag", "borderline", "unreviewed", "accepted", "overridden", "follow_up"), 0
    )
    rows = []
    for offset in range(weeks):
        week = first_monday + datetime.timedelta(weeks=offset)
        counts = by_week.get(week, empty)
        rows.append({"week": week, **counts, "total": counts["flag"] + counts["borderline"]})
    return rows


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def override_rates():
    """For each reason code on reviewed screenings: reviews, decisions and the override rate,
    highest rate first (then most reviews, then code)."""
    counted = (
        Screening.objects.filter(review__isnull=False)
        .annotate(code=Func(F("reason_codes"), function="unnest", output_field=CharField()))
        .values("code")
        .annotate(
            reviews=Count("pk"),
            accepted=Count("pk", filter=Q(review__decision=ACCEPT)),
            overridden=Count("pk", filter=Q(review__decision=OVERRIDE)),
            follow_up=Count("pk", filter=Q(review__decision=FOLLOW_UP)),
        )
        .order_by()
    )
    rows = [
        {
            **row,
            "label": row["code"].replace("_", " ").capitalize(),
            "rate": row["overridden"] / row["reviews"],
            "percent": round(100 * row["overridden"] / row["reviews"], 1),
        }
        for row in counted
    ]
    return sorted(rows, key=lambda row: (-row["rate"], -row["reviews"], row["code"]))


def bar_chart(rows):
    """Coordinates for a stacked bar chart of flags (below) and borderline results per week."""
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    top = _nice_ceiling(max((row["total"] for row in rows), default=0))
    slot = plot_width / len(rows)
    bar_width = round(slot * 0.6, 1)

    def height(count):
        return round(plot_height * count / top, 1)

    baseline = CHART_TOP + plot_height
    bars = []
    for index, row in enumerate(rows):
        x = round(CHART_LEFT + slot * index + (slot - bar_width) / 2, 1)
        flag_height, borderline_height = height(row["flag"]), height(row["borderline"])
        bars.append(
            {
                "x": x,
                "centre": round(x + bar_width / 2, 1),
                "flag_y": round(baseline - flag_height, 1),
                "flag_height": flag_height,
                "borderline_y": round(baseline - flag_height - borderline_height, 1),
                "borderline_height": borderline_height,
                "total_y": round(baseline - flag_height - borderline_height - 4, 1),
                "row": row,
            }
        )
    step = max(1, top // 4)
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": baseline,
        "bar_width": bar_width,
        "label_y": baseline + 16,
        "grid": [
            {"y": round(baseline - height(value), 1), "value": value}
            for value in range(0, top + 1, step)
        ],
        "bars": bars,
    }


def _nice_ceiling(value):
    """A round top for the axis: 4 at least, else the next multiple of 4 (whole gridlines)."""
    return max(4, -(-value // 4) * 4)


def dashboard(request):
    """The dashboard page, beside the worklist (it shares its permission)."""
    if not access.may_see(request.user, "screening"):
        raise PermissionDenied
    weeks = weekly_counts(timezone.localdate())
    context = {
        **admin.site.each_context(request),
        "opts": Screening._meta,
        "title": "Review dashboard",
        # Wide charts and tables: the page needs the room more than the side menu.
        "is_nav_sidebar_enabled": False,
        "queue_url": reverse("admin:intake_screening_changelist"),
        "weeks": weeks,
        "chart": bar_chart(weeks),
        "rates": override_rates(),
    }
    return TemplateResponse(request, "admin/intake/screening/dashboard.html", context)
