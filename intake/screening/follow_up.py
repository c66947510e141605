"""Follow-up: what changed in a patient's opioids between visits, and what pain did since.

The follow-up rulings F1-F4 of oih-facts (2026.3), pure: visits in, with their dates passed in,
changes and sentences out. The check-in derives its dose-change answers from `last_change()`
(intake/check_ins.py) and the clinician's chart says what the data show with
`chart_sentence()` (intake/review/visit_chart.py), so the two can never disagree.

- F1: a change is a cut or an increase only when the same drugs in the same forms are taken at
  both visits and both totals are exact (no lower bound, no unconverted item, no buprenorphine
  or OUD-treatment change). Anything else is a switch, which says nothing about dose response.
- F2: a cut, a stop or a switch can be followed by withdrawal.
- F3: an undated change happened between the visit before and the visit where it was first seen;
  its withdrawal window ends 4 weeks after that visit.
- F4: pain changes count at 2 points or more on the 0-10 scale.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .mme import WHY_BUPRENORPHINE, WHY_NOT_CONVERTIBLE, WHY_OUD_TREATMENT, measure_mme
from .rules import WITHDRAWAL_CHANGES, WITHDRAWAL_WINDOW_WEEKS
from .vocabulary import CHANGE_KINDS

# F4 (IMMPACT: Dworkin RH et al., J Pain 2008;9:105-121): a change of 2 points on the 0-10
# scale is clinically important; smaller changes read as "unchanged".
MIN_PAIN_CHANGE = 2
WINDOW = datetime.timedelta(weeks=WITHDRAWAL_WINDOW_WEEKS)
DAYS_PER_WEEK = 7
# Ruling 17 (CDC 2022, oih-facts section 5): a full stop from about 50 MME/day or more loses
# tolerance, so a return to the old dose risks an overdose.
TOLERANCE_LOSS_MME = 50

CUT, INCREASE, STOP, SWITCH, START = CHANGE_KINDS
# Items that are shown and never added (rulings 6 and 7): a change among them is a switch (F1).
NEVER_ADDED = (WHY_BUPRENORPHINE, WHY_OUD_TREATMENT)

# The forms in a few words, for the clinician's pages.
FORMULATION_WORDS = {
    "immediate_release": "immediate release",
    "extended_release": "extended release",
    "transdermal_patch": "patch",
    "sublingual": "sublingual",
    "other": "other form",
}


@dataclass(frozen=True)
class Visit:
    """One visit on the timeline: its date, the opioids listed (document items), whether they
    are taken now, and pain now."""

    on: datetime.date
    opioids: tuple
    taking_now: bool
    pain: int | None


@dataclass(frozen=True)
class Total:
    """A visit's total MME per day as the rules count it (rulings 6-9)."""

    exact: Decimal
    shown: float | None
    is_lower_bound: bool
    # Nothing to add: buprenorphine or OUD treatment alone (rulings 6 and 7).
    is_nothing_counted: bool

    @property
    def is_exact(self):
        return self.shown is not None and not self.is_lower_bound


@dataclass(frozen=True)
class Change:
    """A change of opioids found between two consecutive visits."""

    kind: str
    before: tuple
    after: tuple
    total_before: Total
    total_after: Total
    # Pain at the visit before the change, on the old doses.
    pain_before: int | None
    previous_on: datetime.date
    # The visit where the change was first seen.
    seen_on: datetime.date
    # Its date when known (a planned date between the two visits), else None.
    changed_on: datetime.date | None
    # The position of the visit where it was first seen in the visits given.
    seen_at: int = 0

    @property
    def is_dated(self):
        return self.changed_on is not None

    @property
    def counts_as_dose_response(self):
        """F1: only a cut, an increase, or a stop from an exact total says how pain responds."""
        if self.kind in (CUT, INCREASE):
            return True
        return self.kind == STOP and self.total_before.is_exact and not _never_added(self.before)

    @property
    def can_cause_withdrawal(self):
        return self.kind in WITHDRAWAL_CHANGES

    @property
    def window_starts(self):
        """The earliest day the change can have happened."""
        return self.changed_on or self.previous_on

    @property
    def window_ends(self):
        """The last day of the withdrawal window: 4 weeks after the change, or, when its date
        is not known, 4 weeks after the visit where it was first seen (F3)."""
        return (self.changed_on or self.seen_on) + WINDOW

    def weeks_since(self, on):
        """Weeks from the change to `on`; for an undated change, from the visit where it was
        first seen, so at least this many (F3)."""
        days = (on - (self.changed_on or self.seen_on)).days
        return round(Decimal(max(days, 0)) / DAYS_PER_WEEK, 1)

    def is_inside_window(self, on):
        return self.can_cause_withdrawal and on <= self.window_ends

    def is_tolerance_lost(self):
        """Ruling 17: a full stop from >= 50 MME/day (a lower bound counts too)."""
        return self.kind == STOP and self.total_before.exact >= TOLERANCE_LOSS_MME

    def as_record(self, on, pain_now):
        """The change as the check-in keeps it (`change_between_visits` of its document)."""
        return {
            "kind": self.kind,
            "opioids_before": describe_opioids(self.before),
            "opioids_after": describe_opioids(self.after),
            "mme_before": self.total_before.shown,
            "mme_before_is_lower_bound": self.total_before.is_lower_bound,
            "mme_after": self.total_after.shown,
            "mme_after_is_lower_bound": self.total_after.is_lower_bound,
            "mme_before_in_words": mme_words(self.total_before),
            "mme_after_in_words": mme_words(self.total_after),
            "previous_visit_on": self.previous_on.isoformat(),
            "first_seen_on": self.seen_on.isoformat(),
            "changed_on": self.changed_on.isoformat() if self.changed_on else None,
            "weeks_since": float(self.weeks_since(on)),
            "window_ends_on": self.window_ends.isoformat(),
            "is_inside_window": self.is_inside_window(on),
            "pain_before": self.pain_before,
            "pain_now": pain_now,
            "counts_as_dose_response": self.counts_as_dose_response,
            "is_tolerance_lost": self.is_tolerance_lost(),
        }


def total(visit):
    """The visit's total MME per day, as the rules count it."""
    mme = measure_mme(list(visit.opioids), taking_now=visit.taking_now)
    counted = [item for item in mme["items"] if item["included"]]
    return Total(
        exact=mme["exact_total"],
        shown=mme["total_per_day"],
        is_lower_bound=mme["lower_bound"],
        is_nothing_counted=mme["computable"] and mme["total_per_day"] is None and not counted,
    )


def regimen(visit):
    """What is taken: each drug in its form, unit and purpose, with its daily dose (an item
    listed twice counts twice). Nothing for a visit where no opioid is taken now."""
    if not visit.taking_now:
        return {}
    doses = {}
    for opioid in visit.opioids:
        key = _key(opioid)
        doses[key] = doses.get(key, Decimal(0)) + _dose(opioid)
    return doses


def _key(opioid):
    return (
        opioid.get("name"),
        (opioid.get("other_name") or "").strip().lower(),
        opioid.get("formulation") or "",
        opioid.get("unit"),
        opioid.get("purpose") or "pain",
    )


def _dose(opioid):
    return Decimal(str(opioid.get("daily_dose")))


def _never_added(opioids):
    return any(
        opioid.get("name") == "buprenorphine" or opioid.get("purpose") == "oud_treatment"
        for opioid in opioids
    )


def _unconverted(opioids):
    mme = measure_mme(list(opioids))
    return any(item.get("why") == WHY_NOT_CONVERTIBLE for item in mme["items"])


def _never_added_part(doses):
    return {
        key: dose for key, dose in doses.items() if key[0] == "buprenorphine" or key[4] != "pain"
    }


def classify(before, after):
    """The kind of change from visit `before` to visit `after`, or None when nothing changed."""
    old, new = regimen(before), regimen(after)
    if old == new:
        return None
    if not new:
        return STOP
    if not old:
        return START
    old_total, new_total = total(before), total(after)
    if (
        old.keys() != new.keys()
        or not (old_total.is_exact and new_total.is_exact)
        or _never_added_part(old) != _never_added_part(new)
        or _unconverted(before.opioids)
        or _unconverted(after.opioids)
    ):
        return SWITCH
    if new_total.exact < old_total.exact:
        return CUT
    if new_total.exact > old_total.exact:
        return INCREASE
    # The same drugs at other doses with the same total: not a dose change either way.
    return SWITCH


def changes(visits, planned_on=None):
    """Every change between consecutive visits, oldest first. `visits` are oldest first;
    `planned_on` is the follow-up's planned date of a dose change, if any."""
    found = []
    for seen_at, (before, after) in enumerate(zip(visits, visits[1:], strict=False), start=1):
        kind = classify(before, after)
        if kind is None:
            continue
        is_planned = planned_on is not None and before.on < planned_on <= after.on
        found.append(
            Change(
                kind=kind,
                before=tuple(before.opioids) if before.taking_now else (),
                after=tuple(after.opioids) if after.taking_now else (),
                total_before=total(before),
                total_after=total(after),
                pain_before=before.pain,
                previous_on=before.on,
                seen_on=after.on,
                changed_on=planned_on if is_planned else None,
                seen_at=seen_at,
            )
        )
    return found


def last_change(visits, planned_on=None):
    found = changes(visits, planned_on)
    return found[-1] if found else None


def pain_response(pain_before, pain_now):
    """F4: `better` or `worse` at 2 points or more, else `unchanged`; None when not scored."""
    if pain_before is None or pain_now is None:
        return None
    if pain_before - pain_now >= MIN_PAIN_CHANGE:
        return "better"
    if pain_now - pain_before >= MIN_PAIN_CHANGE:
        return "worse"
    return "unchanged"


# ---------------------------------------------------------------- words

# How a form is named where it tells two items apart (or for buprenorphine, whose form decides
# its unit).
FORM_WORDS = {
    "immediate_release": "immediate-release {name} {dose}",
    "extended_release": "extended-release {name} {dose}",
    "transdermal_patch": "{name} patch {dose}",
    "sublingual": "sublingual {name} {dose}",
    "other": "{name} {dose} (other form)",
}


def describe_opioids(opioids):
    """ "morphine 120 mg/day and sublingual buprenorphine 16 mg/day", or "none"."""
    if not opioids:
        return "none"
    names = [_name(opioid) for opioid in opioids]
    # The form is named only where one drug appears in more than one form.
    repeated = {name for name in names if names.count(name) > 1}
    words = []
    for opioid, name in zip(opioids, names, strict=True):
        dose = f"{_figure(_dose(opioid))} {opioid.get('unit')}"
        form = FORM_WORDS.get(opioid.get("formulation") or "")
        if form and (name in repeated or opioid.get("name") == "buprenorphine"):
            text = form.format(name=name, dose=dose)
        else:
            text = f"{name} {dose}"
        if opioid.get("purpose") == "oud_treatment":
            text += " for OUD treatment"
        words.append(text)
    return _and(words)


def _name(opioid):
    if opioid.get("name") == "other":
        return (opioid.get("other_name") or "an unlisted opioid").strip()
    return opioid.get("name") or "an opioid"


def mme_words(value):
    """A total in words: "120 MME/day", "at least 80 MME/day", "no MME counted"."""
    if value.is_nothing_counted:
        return "no MME counted"
    if value.shown is None:
        return "MME not computed"
    figure = _figure(Decimal(str(value.shown)))
    return f"at least {figure} MME/day" if value.is_lower_bound else f"{figure} MME/day"


def change_words(change):
    """What changed, in words that claim only what the totals support (F1)."""
    before, after = describe_opioids(change.before), describe_opioids(change.after)
    if change.kind in (CUT, INCREASE):
        went = "down" if change.kind == CUT else "up"
        return (
            f"The dose went {went} from {_figure(change.total_before.exact)} to "
            f"{_figure(change.total_after.exact)} MME/day ({before} to {after})"
        )
    if change.kind == STOP:
        return f"Opioids stopped: {before} ({mme_words(change.total_before)})"
    if change.kind == START:
        return f"Opioids started: {after} ({mme_words(change.total_after)})"
    return (
        f"Switched from {before} ({mme_words(change.total_before)}) to {after} "
        f"({mme_words(change.total_after)})"
    )


def when_words(change):
    if change.is_dated:
        return f"on {_day(change.changed_on)}"
    return f"on a date not known between {_day(change.previous_on)} and {_day(change.seen_on)}"


def pain_words(change, pain_now, on):
    """ "Pain rose from 8 to 9 (less than 2 points: read as unchanged)"; the note only where
    the change says how pain responds (F1) and outside its withdrawal window (ruling 3)."""
    pain_before = change.pain_before
    if pain_before is None or pain_now is None:
        return "Pain was not scored at every visit"
    if pain_now == pain_before:
        return f"Pain stayed at {pain_now}"
    verb = "fell" if pain_now < pain_before else "rose"
    words = f"Pain {verb} from {pain_before} to {pain_now}"
    is_dose_response = change.counts_as_dose_response and not change.is_inside_window(on)
    if is_dose_response and pain_response(pain_before, pain_now) == "unchanged":
        words += f" (less than {MIN_PAIN_CHANGE} points: read as unchanged)"
    return words


def window_words(change, on):
    """Where `on` stands against the change's withdrawal window."""
    if not change.can_cause_withdrawal:
        return ""
    weeks = change.weeks_since(on)
    shown = f"{_figure(weeks)} week{'' if weeks == 1 else 's'}"
    if change.is_dated:
        since = f"{shown} after the change"
    elif on == change.seen_on:
        since = "where the change was first seen"
    else:
        since = f"at least {shown} after the change"
    ends = _day(change.window_ends)
    if change.is_inside_window(on):
        where = f"inside the withdrawal window, which ends {ends}"
    else:
        where = f"outside the withdrawal window, which ended {ends}"
    if not change.is_dated:
        where += " (4 weeks after the visit where the change was first seen)"
    return f"{since}: {where}"


def chart_sentence(visits, planned_on=None):
    """What the visits show, in the rules' terms: the latest change and the pain since.

    Never a diagnosis, and never a claim the totals do not support: a switch is said to be a
    switch, a lower bound "at least", an undated change "a date not known"."""
    change = last_change(visits, planned_on)
    if change is None:
        return "The opioids and their doses did not change between these visits."
    last = visits[-1]
    sentence = (
        f"{change_words(change)} {when_words(change)}. {pain_words(change, last.pain, last.on)}"
    )
    window = window_words(change, last.on)
    sentence += f", {window}." if window else " since then."
    if change.is_tolerance_lost():
        sentence += " Tolerance is lost: overdose risk rises if the old dose is taken again."
    return sentence


def _figure(value):
    """120 -> "120", 67.5 -> "67.5", 2.0 -> "2"."""
    return f"{Decimal(value):.1f}".removesuffix(".0")


def _day(day):
    return f"{day.day} {day:%b %Y}"


def _and(words):
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} and {words[-1]}"
