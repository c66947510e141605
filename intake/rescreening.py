"""Rescreening submitted intakes under the current rules: an explicit, recorded act.

Stored flags never change silently when the rules change. `rescreen()` compares each submitted
intake's current screening with what the rules say now; a dry run only counts the differences,
and an applied run stores a new current screening for the intakes that differ (the old one is
kept) and records the run as a `Rescreen` row. Intakes are read in keyset-paginated batches,
one transaction each, so memory stays flat and a stopped run keeps what it committed.

Speed (100,000 intakes in about a minute is the aim): each batch reads only what a comparison
needs of the stored screenings (their columns and the reasons, not the whole result), and
writes its new screenings with one COPY rather than an INSERT of tens of thousands of
parameters.
"""

import gc
import json
from collections import Counter, defaultdict
from contextlib import contextmanager, nullcontext

from django.db import connection, transaction
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from intake import answers
from intake.models import ALERTS_TO_REVIEW, Intake, IntakeMedicine, Rescreen, Screening
from intake.screening import RULES_VERSION, DocumentError
from intake.screening.result import unsorted_result as screen
from intake.signals import screenings_stored
from intake.submission import record_screening, replace_current_screenings

# `screen` here is screen() without its final sort of the keys: a result is stored as jsonb,
# which keeps its own key order, so the sort (a third of screen()'s time) changes nothing.

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
        with transaction.atomic() if apply else nullcontext(), _cyclic_gc_paused():
            batch, medicines, stored = _batch(after_pk=last_pk, size=batch_size, lock=apply)
            if not batch:
                break
            changed = [
                (intake, result)
                for intake in batch
                if (result := _rescreen_one(intake, medicines, stored.get(intake.pk), tally))
                is not None
            ]
            if apply and changed:
                _copy_screenings(
                    replace_current_screenings(changed, cause=Screening.Cause.RESCREEN, user=user)
                )
                screenings_stored.send(sender=Screening, pairs=changed)
            last_pk = batch[-1].pk
            run.examined, run.changed = tally.examined, tally.changed
            run.summary = tally.summary(user=user, batch_size=batch_size)
            if apply:
                run.save(update_fields=["examined", "changed", "summary"])
    run.finished_at = timezone.now()
    if apply:
        run.save(update_fields=["finished_at"])
    return run


def rescreen_after_correction(intake, *, user):
    """Screen one intake again at once after a clinician corrected an answer: a new current
    screening (cause "correction"; the earlier one is kept), whatever the outcome, since
    the correction is a recorded act. Call inside the correction's transaction; a new urgent
    alert is sent to the duty list as for a submission. Later visits, which compare with
    this one, keep their screenings until they are rescreened themselves."""
    previous = intake.previous_intake
    result = screen(intake.as_document(), previous=previous.as_document() if previous else None)
    screening = record_screening(intake, result, cause=Screening.Cause.CORRECTION, user=user)
    return screening


@contextmanager
def _cyclic_gc_paused():
    """A batch makes hundreds of thousands of short-lived objects, freed by their reference
    counts; the cycle collector's passes over them were a third of the run's CPU time. It
    resumes between batches, so memory stays flat."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def outcome(result):
    """What a comparison looks at in a result: level, reasons with their evidence, alert codes
    and the rules version. Wording aside, two results with equal outcomes say the same."""
    return {
        "level": result["oih"]["level"],
        "reasons": _reasons(result["oih"]["reasons"]),
        "alerts": [alert["code"] for alert in result["alerts"]],
        # Compared with the version the fresh result carries (RULES_VERSION), so that a run
        # straight after an applied one finds nothing left to do.
        "rules_version": result["rules_version"],
    }


def _reasons(reasons, *, stored=False):
    if not stored:
        # A JSON round trip, so fresh reasons compare equal to ones read back from the
        # database (stored ones are JSON already).
        reasons = json.loads(json.dumps(reasons))
    return [[reason["code"], reason.get("evidence")] for reason in reasons]


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


def _rescreen_one(intake, medicines, current, tally):
    """The new result if it differs from `current`, the stored screening (or None), else
    None; counted either way. `medicines`: the batch's medicines by intake id."""
    tally.examined += 1
    previous = intake.previous_intake
    try:
        result = screen(
            intake.as_document(medicines.get(intake.pk, [])),
            previous=previous.as_document(medicines.get(previous.pk, [])) if previous else None,
        )
    except DocumentError as error:
        # Stored answers the current rules reject: reported, and the old screening stands.
        tally.add_invalid(intake, error)
        return None
    old = _stored_outcome(current) if current else None
    new = outcome(result)
    if old == new:
        return None
    tally.add_change(intake, old, new)
    return result


def _stored_outcome(screening):
    return {
        "level": screening.level,
        "reasons": _reasons(screening.stored_reasons, stored=True),
        "alerts": list(screening.alert_codes),
        "rules_version": screening.rules_version,
    }


# What as_document() reads of an intake (Intake.as_document), and what a new screening and
# the report need of it: the rest of the row (timestamps, contact details) is not read. The
# answers' fields come from the answer table (intake.answers), as as_document() reads them.
def document_intake_fields():
    return [
        "reference",
        "clinic_reference",
        "patient",
        "previous_intake",
        "submitted_at",
        *answers.stored_fields(),
        "more_answers",
        "change_between_visits",
        "completed_steps",
    ]


def _batch(*, after_pk, size, lock):
    """(the next intakes after `after_pk`, the medicines of those intakes and of their
    previous visits by intake id, their stored current screenings by intake id, without the
    result but its reasons): a few queries a batch."""
    intake_fields = document_intake_fields()
    fields = [*intake_fields, *(f"previous_intake__{f}" for f in intake_fields)]
    intakes = (
        Intake.objects.submitted()
        .filter(pk__gt=after_pk)
        .order_by("pk")
        .select_related("previous_intake")
        .only(*fields)
    )
    if lock:
        # Only the intake rows: the previous intake sits on the nullable side of a join.
        intakes = intakes.select_for_update(of=("self",))
    batch = list(intakes[:size])
    ids = [intake.pk for intake in batch]
    read = ids + [intake.previous_intake_id for intake in batch if intake.previous_intake_id]
    medicines = defaultdict(list)
    for medicine in (
        # Whole rows: a medicine row is small, and as_document_item() reads most of it.
        IntakeMedicine.objects.filter(intake_id__in=read).order_by("intake_id", "position", "pk")
    ):
        medicines[medicine.intake_id].append(medicine)
    # The stored result's reasons only: the rest of it (a few kB each) is not compared.
    stored = {
        screening.intake_id: screening
        for screening in Screening.objects.current()
        .filter(intake_id__in=ids)
        .defer("result")
        .annotate(stored_reasons=KeyTransform("reasons", KeyTransform("oih", "result")))
    }
    return batch, medicines, stored


def _copy_screenings(screenings):
    """Write new screenings with one COPY: the database numbers them and derives the
    generated columns (level_rank, priority), as for an INSERT."""
    fields = [
        field
        for field in Screening._meta.concrete_fields
        if not field.generated and not field.primary_key
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {Screening._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for screening in screenings:
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(screening, field.attname), connection)
                    for field in fields
                ]
            )
