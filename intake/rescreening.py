"""Rescreening submitted intakes under the current rules: an explicit, recorded act.

Stored flags never change silently when the rules change. `rescreen()` compares each submitted
intake's current screening with what the rules say now; a dry run only counts the differences,
and an applied run stores a new current screening for the intakes that differ (the old one is
kept) and records the run as a `Rescreen` row. Intakes are read in keyset-paginated batches,
one transaction each, so memory stays flat and a stopped run keeps what it committed.
"""

import json
from collections import Counter
from contextlib import nullcontext

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from intake.models import ALERTS_TO_REVIEW, Intake, Rescreen, Screening
from intake.review import notifications
from intake.screening import RULES_VERSION, DocumentError, screen
from intake.submission import record_screenings

MAX_EXAMPLES = 20
# Example references kept for each row of the table from old to new.
EXAMPLES_PER_CHANGE = 3
DEFAULT_BATCH_SIZE = 1000


def rescreen(*, apply=False, batch_size=DEFAULT_BATCH_SIZE, user=None):
    """Rescreen every submitted intake; return the run as a `Rescreen` (saved only if applied)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    tally = Tally()
    run = Rescreen(rules_version=RULES_VERSION, is_dry_run=not apply)
    run.summary = tally.summary(user=user, batch_size=batch_size)
    if apply:
        # Saved before the first batch, so a run that stops half-way is still on record.
        run.save()
    last_pk = 0
    while True:
        # Under READ COMMITTED a transaction adds nothing to a dry run's reads.
        with transaction.atomic() if apply else nullcontext():
            batch = _batch(after_pk=last_pk, size=batch_size, lock=apply)
            if not batch:
                break
            changed = [
                (intake, result)
                for intake in batch
                if (result := _rescreen_one(intake, tally)) is not None
            ]
            if apply and changed:
                record_screenings(changed, cause=Screening.Cause.RESCREEN, user=user)
                notifications.notify_new_urgent_alerts(changed)
            last_pk = batch[-1].pk
            run.examined, run.changed = tally.examined, tally.changed
            run.summary = tally.summary(user=user, batch_size=batch_size)
            if apply:
                run.save(update_fields=["examined", "changed", "summary"])
    run.finished_at = timezone.now()
    if apply:
        run.save(update_fields=["finished_at"])
    return run


def outcome(result):
    """What a comparison looks at in a result: level, reasons with their evidence, alert codes
    and the rules version. Wording aside, two results with equal outcomes say the same."""
    # A JSON round trip, so a fresh result compares equal to one read back from the database.
    result = json.loads(json.dumps(result))
    return {
        "level": result["oih"]["level"],
        "reasons": [
            [reason["code"], reason.get("evidence")] for reason in result["oih"]["reasons"]
        ],
        "alerts": [alert["code"] for alert in result["alerts"]],
        # Compared with the version the fresh result carries (RULES_VERSION), so that a run
        # straight after an applied one finds nothing left to do.
        "rules_version": result["rules_version"],
    }


class Tally:
    """Counts of what a run found, small and of fixed size whatever the number of intakes."""

    def __init__(self):
        self.examined = self.changed = self.invalid = 0
        self.level_changes = Counter()
        self.alerts_added = Counter()
        self.alerts_removed = Counter()
        self.reasons_changed = self.rules_version_changed = 0
        self.newly_in_worklist = self.same_state = 0
        self.examples, self.invalid_examples = [], []
        # (old state, new state) -> count and example references: the table of the report.
        self.transitions = Counter()
        self.transition_examples = {}

    def add_change(self, intake, old, new):
        self.changed += 1
        change = (state(old), state(new))
        if change[0] == change[1]:
            # Reasons or the rules version changed, not what a clinician sees in the worklist.
            self.same_state += 1
        else:
            self.transitions[change] += 1
            examples = self.transition_examples.setdefault(change, [])
            if len(examples) < EXAMPLES_PER_CHANGE:
                examples.append(intake.reference)
        if needs_clinician(new) and not (old and needs_clinician(old)):
            self.newly_in_worklist += 1
        self.level_changes[f"{old['level'] if old else 'unscreened'} -> {new['level']}"] += 1
        old_alerts = set(old["alerts"]) if old else set()
        self.alerts_added.update(code for code in new["alerts"] if code not in old_alerts)
        self.alerts_removed.update(code for code in old_alerts if code not in new["alerts"])
        if old is None or old["reasons"] != new["reasons"]:
            self.reasons_changed += 1
        if old is None or old["rules_version"] != new["rules_version"]:
            self.rules_version_changed += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(intake.reference)

    def add_invalid(self, intake, error):
        self.invalid += 1
        if len(self.invalid_examples) < MAX_EXAMPLES:
            self.invalid_examples.append(f"{intake.reference}: {error.field}: {error.message}")

    def summary(self, *, user, batch_size):
        return {
            "level_changes": dict(sorted(self.level_changes.items())),
            "alerts_added": dict(sorted(self.alerts_added.items())),
            "alerts_removed": dict(sorted(self.alerts_removed.items())),
            "transitions": [
                {
                    "from": old,
                    "to": new,
                    "count": count,
                    "examples": self.transition_examples[old, new],
                }
                for (old, new), count in sorted(
                    self.transitions.items(), key=lambda item: (-item[1], item[0])
                )
            ],
            "same_level_and_alerts": self.same_state,
            "newly_in_worklist": self.newly_in_worklist,
            "reasons_changed": self.reasons_changed,
            "rules_version_changed": self.rules_version_changed,
            "examples": list(self.examples),
            "invalid": self.invalid,
            "invalid_examples": list(self.invalid_examples),
            "user": user.get_username() if user else None,
            "batch_size": batch_size,
        }


def state(outcome_):
    """A screening's level and alerts in one line: "none + withdrawal_after_dose_cut"."""
    if outcome_ is None:
        return "unscreened"
    return " + ".join([outcome_["level"], *outcome_["alerts"]])


def needs_clinician(outcome_):
    """Whether an outcome puts the intake in the worklist (as Screening.priority does)."""
    return outcome_["level"] != Screening.Level.NONE or bool(
        set(outcome_["alerts"]) & ALERTS_TO_REVIEW
    )


def _rescreen_one(intake, tally):
    """The new result if it differs from the stored one, else None; counted either way."""
    tally.examined += 1
    previous = intake.previous_intake
    try:
        result = screen(intake.as_document(), previous=previous.as_document() if previous else None)
    except DocumentError as error:
        # Stored answers the current rules reject: reported, and the old screening stands.
        tally.add_invalid(intake, error)
        return None
    current = intake.current_screenings[0] if intake.current_screenings else None
    old = _stored_outcome(current) if current else None
    new = outcome(result)
    if old == new:
        return None
    tally.add_change(intake, old, new)
    return result


def _stored_outcome(screening):
    return {
        **outcome(screening.result),
        "level": screening.level,
        "alerts": list(screening.alert_codes),
        "rules_version": screening.rules_version,
    }


def _batch(*, after_pk, size, lock):
    intakes = Intake.objects.submitted().filter(pk__gt=after_pk).order_by("pk")
    if lock:
        # Only the intake rows: the previous intake sits on the nullable side of a join.
        intakes = intakes.select_for_update(of=("self",))
    return list(
        intakes.select_related("previous_intake").prefetch_related(
            "medicines",
            "previous_intake__medicines",
            Prefetch(
                "screenings", queryset=Screening.objects.current(), to_attr="current_screenings"
            ),
        )[:size]
    )
