import datetime
import hashlib
import hmac
import re
import secrets
import unicodedata
import uuid
from decimal import Context, Decimal, InvalidOperation

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from intake import answers, medicines, summary
from intake.choices import (
    BetweenDoses,
    DoseChange,
    DoseUnit,
    Formulation,
    NaloxoneAnswer,
    OpioidName,
    PainResponse,
    Purpose,
    TimeUnit,
)
from intake.screening.alerts import URGENT_ALERT_CODES, WARNING_ALERT_CODES

# "Not sure" about naloxone is null in the document, like "not asked" (intake-format.md).
NALOXONE_IN_DOCUMENT = {NaloxoneAnswer.YES: True, NaloxoneAnswer.NO: False}

# Short codes avoid letters and digits that are easy to confuse (0/O, 1/I/L).
RESUME_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RESUME_CODE_LENGTH = 10  # 31**10 is about 8e14: hopeless to guess at our attempt limits.
MAX_TEXT_LENGTH = 2000
# "Needs follow-up" without a date comes back after two weeks: no item sinks for good.
DEFAULT_FOLLOW_UP_DAYS = 14
# A start form sent again within this time (its reply lost) gets the intake it made.
START_RETRY_MINUTES = 10


# Characters never meant in an answer, dropped from everything a patient types or a document
# brings: C0 controls (NUL cannot even be stored) and DEL; C1 controls; the byte order mark;
# and the bidirectional overrides and isolates, which can make a name read backwards in the
# clinicians' lists ("Trojan Source"). Tab, newline and carriage return are kept. Also the
# invisible marks that reorder or hide text: the Arabic letter mark, zero width space, the
# left-to-right and right-to-left marks, the line and paragraph separators, the word joiner
# and invisible operators, deprecated format characters, interlinear annotation and the tag
# characters (invisible letters). The zero width joiner and non-joiner stay: they shape
# Persian and Indic words and emoji.
_CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f"
    "\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f]"
)


def without_control_characters(text):
    return _CONTROL_CHARACTERS.sub("", text)


def keyed_hash(value):
    """A keyed hash for secrets we must find again but never store: resume codes and links."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def new_resume_code():
    return "".join(secrets.choice(RESUME_CODE_ALPHABET) for _ in range(RESUME_CODE_LENGTH))


def new_resume_link_token():
    return secrets.token_urlsafe(32)


def normalise_resume_code(text):
    return "".join(ch for ch in text.upper() if ch in RESUME_CODE_ALPHABET)


def name_key(full_name):
    """How names are compared to suggest a returning patient: case, accents and spacing
    aside ("Rosa María López" and "rosa maria  lopez" are one key)."""
    decomposed = unicodedata.normalize("NFKD", full_name.casefold())
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", without_accents).split())


def stored_decimal(field, value):
    """`value` as the DecimalField `field` stores it (rounded to its places), or None when the
    column cannot hold it: more digits than it has, or not a finite number. Forms check with
    this before saving, so a patient is asked again instead of the database refusing the row."""
    try:
        value = Decimal(value)
        if not value.is_finite():
            return None
        rounded = value.quantize(
            Decimal(1).scaleb(-field.decimal_places), context=Context(prec=field.max_digits)
        )
    except (InvalidOperation, TypeError, ValueError):
        return None
    return rounded


def score_range(field):
    return models.Q(**{f"{field}__gte": 0, f"{field}__lte": 10}) | models.Q(**{field: None})


class Patient(models.Model):
    """A person who has submitted at least one intake, so visits can be compared."""

    # Imported documents may carry only the clinic's reference, so name and birth date may be empty.
    full_name = models.CharField(max_length=200, blank=True)
    name_key = models.CharField(max_length=200, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    clinic_reference = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a clinician confirmed this record is the same person as another: its visits
    # and follow-ups moved there, and it is kept only for the suggestion's history.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["name_key", "date_of_birth"], name="patient_name_dob_idx"),
            models.Index(fields=["clinic_reference"], name="patient_reference_idx"),
        ]

    def __str__(self):
        return self.full_name or self.clinic_reference or f"Patient {self.pk}"

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.full_name)
        super().save(*args, **kwargs)


class PatientMatch(models.Model):
    """A suggested match: a new intake's typed identity looks like an existing patient's.

    Anyone can type a clinic number, a name and a birth date, so these never join a record
    by themselves: the new intake gets its own patient, and a clinician confirms or rejects
    the suggestion (`intake/patient_matching.py`). Until then nothing of the other record is
    compared with, shown or pre-filled.
    """

    class MatchedOn(models.TextChoices):
        CLINIC_REFERENCE = "clinic_reference", "Same clinic number"
        NAME_AND_BIRTH_DATE = "name_and_birth_date", "Same name and date of birth"

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Waiting for a clinician"
        CONFIRMED = "confirmed", "Confirmed: the same person"
        REJECTED = "rejected", "Rejected: not the same person"

    # The new record, made for the intake that typed the identity.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="matches")
    # The existing record it looks like.
    suggested_patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    matched_on = ArrayField(models.CharField(max_length=30, choices=MatchedOn.choices))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Every decision is kept, as the reviews are.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "suggested_patient"], name="patient_match_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(patient=models.F("suggested_patient")),
                name="patient_match_not_itself",
            ),
        ]
        verbose_name = "suggested match"
        verbose_name_plural = "suggested matches"

    def __str__(self):
        return f"{self.patient} may be {self.suggested_patient}"


class IntakeQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Intake.Status.SUBMITTED)

    def expired(self, now=None):
        return self.filter(status=Intake.Status.IN_PROGRESS, expires_at__lt=now or timezone.now())

    def start(self, token, expiry_days, code=None, link=None):
        """One intake per start form, however often it is sent: (intake, code, link).

        `token`, `code` and `link` were made when the start form was shown and kept in
        that browser's session (the view accepts a token only from the session that got
        it). A retried or double-clicked Start therefore stores the very code and link the
        browser will show, whichever of the racing requests writes last.
        """
        if code is None or link is None:
            code, link = new_resume_code(), new_resume_link_token()
        intake = self.retried_start(token)
        if intake is None:
            try:
                with transaction.atomic():
                    intake = self._new(token, expiry_days, code, link)
            except IntegrityError:
                # Taken a moment ago by a double click, or by an intake that has answers by now.
                intake = self.retried_start(token)
                if intake is None:
                    code, link = new_resume_code(), new_resume_link_token()
                    return self._new(None, expiry_days, code, link), code, link
        if intake.resume_code_hash != keyed_hash(code):
            # A caller that kept no code with its token: the code returned is the one stored.
            intake.issue_resume_secrets(code, link)
            intake.save(update_fields=["resume_code_hash", "resume_link_hash"])
        return intake, code, link

    def retried_start(self, token):
        """The intake this start form already created, if its reply never reached the browser.

        Only a fresh intake with nothing saved yet: a token is no key to anyone's answers.
        """
        if token is None:
            return None
        fresh_since = timezone.now() - datetime.timedelta(minutes=START_RETRY_MINUTES)
        return self.filter(
            start_token=token,
            status=Intake.Status.IN_PROGRESS,
            started_at__gte=fresh_since,
            completed_steps=[],
        ).first()

    def _new(self, token, expiry_days, code=None, link=None):
        intake = self.model(consent_given_at=timezone.now(), start_token=token)
        intake.extend_expiry(expiry_days)
        intake.issue_resume_secrets(code, link)
        intake.save()
        return intake


class Intake(models.Model):
    """One visit's answers. Filled step by step, then submitted once and screened."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    class Source(models.TextChoices):
        WEB = "web", "Web form"
        IMPORT = "import", "Imported document"

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        CHECK_IN = "check_in", "Check-in"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    # The language the patient answered in (the answers themselves are language-neutral codes,
    # but free text is as typed); blank for an imported document, which does not say.
    language = models.CharField(max_length=5, choices=Language.choices, blank=True)
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="intakes"
    )
    previous_intake = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A check-in is a short visit made under a follow-up: screened like any other visit.
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VISIT)
    follow_up = models.ForeignKey(
        "FollowUp", null=True, blank=True, on_delete=models.PROTECT, related_name="check_ins"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    # The start form this intake was created from: a retried or double-clicked "Start"
    # finds it again instead of starting a second intake.
    start_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    completed_steps = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    # The articles the confirmation page offered, kept so clinicians can see what was read.
    recommended_articles = ArrayField(models.CharField(max_length=100), default=list, blank=True)

    # Coming back later: a short code (with date of birth) or a long link, both stored hashed.
    resume_code_hash = models.CharField(max_length=64, unique=True, editable=False)
    resume_link_hash = models.CharField(max_length=64, unique=True, editable=False)
    failed_resume_attempts = models.PositiveSmallIntegerField(default=0)
    # Too many wrong birth dates pause the code for a while (RESUME_LOCK_MINUTES), not for good.
    resume_locked_until = models.DateTimeField(null=True, blank=True)

    # About you
    full_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    clinic_reference = models.CharField(max_length=50, blank=True)

    # Opioid use over time (the oih-intake/1 keys of the same names)
    currently_taking_opioids = models.BooleanField(null=True, blank=True)
    months_on_opioids = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    months_since_stopped = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True
    )
    dose_change_last_6_months = models.CharField(
        max_length=12, choices=DoseChange.choices, blank=True
    )
    weeks_since_last_dose_change = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True
    )
    # The same answer as the patient gave it ("6 months"), shown back in their words; the
    # rules read the weeks above, worked out from it.
    dose_change_ago = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    dose_change_ago_unit = models.CharField(max_length=6, choices=TimeUnit.choices, blank=True)

    # How pain responds
    pain_when_dose_increased = models.CharField(
        max_length=12, choices=PainResponse.choices, blank=True
    )
    pain_when_dose_decreased = models.CharField(
        max_length=12, choices=PainResponse.choices, blank=True
    )
    pain_between_doses_or_missed_dose = models.CharField(
        max_length=16, choices=BetweenDoses.choices, blank=True
    )
    withdrawal_symptoms_between_doses = ArrayField(
        models.CharField(max_length=30), default=list, blank=True
    )

    # Where and how it hurts
    original_pain_sites = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    current_pain_sites = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    pain_score_now = models.SmallIntegerField(null=True, blank=True)
    pain_score_at_start = models.SmallIntegerField(null=True, blank=True)
    peg_pain = models.SmallIntegerField(null=True, blank=True)
    peg_enjoyment = models.SmallIntegerField(null=True, blank=True)
    peg_activity = models.SmallIntegerField(null=True, blank=True)
    new_pain_qualities = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    new_injury_or_disease_progression = models.BooleanField(null=True, blank=True)
    new_injury_details = models.TextField(max_length=MAX_TEXT_LENGTH, blank=True)
    signs_of_misuse = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    known_opioid_use_disorder = models.BooleanField(null=True, blank=True)

    # A check-in's own answers and what it derived (intake/check_ins.py): whether the patient
    # said something new happened since the last visit, and the latest change of opioids
    # found across the visits (screening.follow_up.Change.as_record), which the rules read.
    has_something_new = models.BooleanField(null=True, blank=True)
    change_between_visits = models.JSONField(null=True, blank=True)

    # Other medicines and naloxone (rules 2026.3, ruling 19): never opioids, never in MME.
    # The boxes ticked (OtherMedicine codes) and the names typed, as answered; and what they
    # mean, the oih-intake/1 `other_medicines` list the rules read (an import stores its list
    # here as it came, so a class is never lost to a name we do not know).
    other_medicines_ticked = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    other_medicines_typed = models.TextField(max_length=MAX_TEXT_LENGTH, blank=True)
    other_medicines = models.JSONField(default=list, blank=True)
    naloxone_at_home = models.CharField(max_length=10, choices=NaloxoneAnswer.choices, blank=True)
    # Answers to the questions a deployment adds (intake.answers.extra_answers) that have no
    # column of their own, by document key, as the document gives them.
    more_answers = models.JSONField(default=dict, blank=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "expires_at"], name="intake_status_expiry_idx"),
            models.Index(fields=["patient", "submitted_at"], name="intake_patient_visits_idx"),
            models.Index(fields=["-submitted_at"], name="intake_submitted_idx"),
        ]
        constraints = [
            *(
                models.CheckConstraint(condition=score_range(field), name=f"intake_{field}_0_10")
                for field in (
                    "pain_score_now",
                    "pain_score_at_start",
                    "peg_pain",
                    "peg_enjoyment",
                    "peg_activity",
                )
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{field}__gte": 0}) | models.Q(**{field: None}),
                    name=f"intake_{field}_not_negative",
                )
                for field in (
                    "months_on_opioids",
                    "months_since_stopped",
                    "weeks_since_last_dose_change",
                )
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_progress") | models.Q(submitted_at__isnull=False),
                name="intake_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="visit") | models.Q(follow_up__isnull=False),
                name="intake_check_in_has_follow_up",
            ),
        ]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = "OIH-" + "".join(
                secrets.choice(RESUME_CODE_ALPHABET) for _ in range(8)
            )
        super().save(*args, **kwargs)

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_check_in(self):
        return self.kind == self.Kind.CHECK_IN

    def issue_resume_secrets(self, code=None, token=None):
        """Give the intake a resume code and link token (new ones unless given); return them
        in plain text once."""
        if code is None or token is None:
            code, token = new_resume_code(), new_resume_link_token()
        self.resume_code_hash = keyed_hash(code)
        self.resume_link_hash = keyed_hash(token)
        return code, token

    def resume_lock_ends_at(self, now=None):
        """When this code may be tried again, or None if it may be tried now."""
        now = now or timezone.now()
        if self.resume_locked_until and self.resume_locked_until > now:
            return self.resume_locked_until
        return None

    def record_wrong_birth_date(self):
        """Count a wrong birth date given with this code; the last allowed one pauses the code.

        Done in one UPDATE, so that racing tries cannot slip past the count.
        """
        limit = settings.RESUME_ATTEMPTS_PER_CODE
        lock_ends = timezone.now() + datetime.timedelta(minutes=settings.RESUME_LOCK_MINUTES)
        reaches_limit = models.Q(failed_resume_attempts__gte=limit - 1)
        Intake.objects.filter(pk=self.pk).update(
            resume_locked_until=models.Case(
                models.When(reaches_limit, then=models.Value(lock_ends)),
                default=models.F("resume_locked_until"),
            ),
            failed_resume_attempts=models.Case(
                models.When(reaches_limit, then=models.Value(0)),
                default=models.F("failed_resume_attempts") + 1,
            ),
        )

    def record_resumed(self):
        Intake.objects.filter(pk=self.pk).update(failed_resume_attempts=0, resume_locked_until=None)

    def extend_expiry(self, days):
        self.expires_at = timezone.now() + datetime.timedelta(days=days)

    def mark_step_done(self, step):
        if step not in self.completed_steps:
            self.completed_steps = [*self.completed_steps, step]

    def get_admin_url(self):
        return reverse("admin:intake_intake_change", args=[self.pk])

    @property
    def peg(self):
        return {
            "pain": self.peg_pain,
            "enjoyment": self.peg_enjoyment,
            "activity": self.peg_activity,
        }

    def as_document(self, medicines=None):
        """The answers as an `oih-intake/1` document (intake-format.md). `medicines`: this
        intake's medicines in their order, when the caller has read them already."""
        if medicines is None:
            medicines = self.medicines.all()
        document = {
            "format": "oih-intake/1",
            "reference": self.clinic_reference or self.reference,
            "opioids": [medicine.as_document_item() for medicine in medicines],
        }
        for answer in answers.answer_table():
            # Keys added after the format began (rules 2026.3) only once their page was
            # answered: a document without them says "not asked", not "none".
            if answer.only_once_answered and answer.step not in self.completed_steps:
                continue
            document[answer.key] = self.document_value(answer)
        # Not an oih-intake/1 key: a check-in's change across visits (an extra key, which
        # other readers of the format ignore), only where there is one.
        if self.change_between_visits is not None:
            document["change_between_visits"] = self.change_between_visits
        return document

    def document_value(self, answer):
        """One answer (an `intake.answers` entry) as the document gives it."""
        if not answer.fields:
            value = self.more_answers.get(answer.key)
            return list(value or []) if answer.repeats else value
        value = getattr(self, answer.fields[0])
        if answer.kind == answers.NUMBER:
            return _number(value)
        if answer.kind == answers.CHOICE:
            return value or None
        if answer.kind == answers.YES_NO_CHOICE:
            # "Not sure" is null, like "not asked" (intake-format.md).
            return NALOXONE_IN_DOCUMENT.get(value)
        if answer.kind == answers.PROGRESSION:
            return {"present": value, "details": getattr(self, answer.fields[1])}
        if answer.kind == answers.PEG:
            return self.peg if any(v is not None for v in self.peg.values()) else None
        if answer.repeats:
            return list(value)
        return value


class FollowUpQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now())

    def by_link(self, token):
        """The active follow-up this private link opens, or None."""
        return self.active().filter(link_hash=keyed_hash(token)).select_related("patient").first()


class FollowUp(models.Model):
    """A clinician's plan to follow a patient with short check-ins after a visit.

    Its point is the dose response over time (oih-facts section 3 point 1, M2): how the pain
    goes once a planned dose change is past the withdrawal window. The patient's private link
    is stored only as a keyed hash, like the resume links.
    """

    class PlannedChange(models.TextChoices):
        NONE = "", "No dose change planned"
        DECREASE = "decrease", "Dose reduction"
        INCREASE = "increase", "Dose increase"

    # Named in exported check-ins (their FHIR context), never the database id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="follow_ups")
    started_from = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    every_weeks = models.PositiveSmallIntegerField()
    for_weeks = models.PositiveSmallIntegerField()
    planned_dose_change = models.CharField(max_length=10, choices=PlannedChange.choices, blank=True)
    planned_dose_change_on = models.DateField(null=True, blank=True)
    link_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Set only when the patient gave an address and agreed to get the link by email.
    email_link_to = models.EmailField(blank=True)
    ends_at = models.DateTimeField()

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_weeks__gte=1, for_weeks__gte=models.F("every_weeks")),
                name="follow_up_schedule_sensible",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_dose_change="", planned_dose_change_on=None)
                | (
                    ~models.Q(planned_dose_change="")
                    & models.Q(planned_dose_change_on__isnull=False)
                ),
                name="follow_up_planned_change_has_date",
            ),
        ]

    def __str__(self):
        return f"Follow-up of {self.patient} every {self.every_weeks} weeks"

    def issue_link(self):
        """A new private link token; only its keyed hash is kept."""
        token = secrets.token_urlsafe(32)
        self.link_hash = keyed_hash(token)
        return token

    @property
    def is_active(self):
        return self.ends_at > timezone.now()

    def due_dates(self):
        """The check-in dates of the schedule, after the start."""
        start = timezone.localdate(self.started_at)
        return [
            start + datetime.timedelta(weeks=week)
            for week in range(self.every_weeks, self.for_weeks + 1, self.every_weeks)
        ]

    def next_due_date(self, today=None, covered_until=None):
        """The next check-in date from today on, after `covered_until` if given."""
        today = today or timezone.localdate()
        return next(
            (
                day
                for day in self.due_dates()
                if day >= today and (covered_until is None or day > covered_until)
            ),
            None,
        )

    def next_check_in_due(self, today=None):
        """The next check-in date the patient is asked for, past the dates the last check-in
        sent counts for: never "due today" on the page that thanks them for today's."""
        return self.next_due_date(today, covered_until=self._covered_until())

    def has_recent_check_in(self, today=None):
        """Whether the last check-in sent still counts for the coming due date, so opening
        the link again shows it as sent instead of starting another."""
        covered_until = self._covered_until()
        return covered_until is not None and covered_until >= (today or timezone.localdate())

    def _covered_until(self):
        """The last date the latest check-in sent counts for: half an interval after it, so an
        early check-in counts for the coming date and a late one for the date it missed (the
        facts are silent; the safer reading never asks twice in a few days nor skips one)."""
        last_sent = self.check_ins.filter(status=Intake.Status.SUBMITTED).aggregate(
            last=models.Max("submitted_at")
        )["last"]
        if last_sent is None:
            return None
        half_interval = datetime.timedelta(days=self.every_weeks * 7 // 2)
        return timezone.localdate(last_sent) + half_interval


DECIMAL_MEDICINE_FIELDS = ("strength", "times_per_day", "daily_dose")


class IntakeMedicine(models.Model):
    """One opioid medicine the patient takes or took, with its daily dose."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="medicines")
    name = models.CharField(max_length=20, choices=OpioidName.choices)
    chosen_as = models.CharField(
        max_length=100, blank=True, help_text="What the patient picked, such as a brand name."
    )
    other_name = models.CharField(max_length=200, blank=True)
    formulation = models.CharField(max_length=20, choices=Formulation.choices)
    # Kept as entered: an imported unit that is not one of ours is flagged, never converted.
    unit = models.CharField(max_length=20, default=DoseUnit.MG_PER_DAY)
    strength = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    times_per_day = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    daily_dose = models.DecimalField(max_digits=12, decimal_places=2)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.PAIN)
    # What the patient entered, in their words (intake/medicines): the product list's id
    # (blank for a medicine not on the list), the strength as on the label, and how it is taken
    # (`schedule_document`'s shape). The fields above are worked out from these for the rules.
    product = models.CharField(max_length=60, blank=True)
    strength_label = models.CharField(max_length=100, blank=True)
    schedule = models.JSONField(default=dict, blank=True)
    entered_as = models.CharField(max_length=300, blank=True)
    # Problem codes the patient said were right ("strength_not_sold", "above_label_maximum"):
    # stored as entered, counted, and shown to the clinician beside the medicine.
    confirmed_by_patient = models.JSONField(default=list, blank=True)
    # The form each medicine was added with, so a double click adds it once.
    form_token = models.UUIDField(null=True, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    # Numbers that must stay above 0 once rounded to their column (the constraints below).
    POSITIVE_NUMBERS = ("daily_dose", "strength")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(daily_dose__gt=0), name="medicine_dose_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(strength__gt=0) | models.Q(strength=None),
                name="medicine_strength_positive",
            ),
            models.UniqueConstraint(
                fields=["intake", "form_token"], name="medicine_added_once_per_form"
            ),
        ]

    def __str__(self):
        return f"{self.display_name} {self.daily_dose} {self.unit}"

    @classmethod
    def numbers_that_do_not_fit(cls, values):
        """The names of the numbers in `values` (a medicine's fields) its columns cannot store:
        too many digits, or a dose or strength that rounds to 0."""
        wrong = []
        for name, value in values.items():
            field = cls._meta.get_field(name) if name in DECIMAL_MEDICINE_FIELDS else None
            if field is None or value is None:
                continue
            stored = stored_decimal(field, value)
            if stored is None or (name in cls.POSITIVE_NUMBERS and stored <= 0):
                wrong.append(name)
        return wrong

    def as_document_item(self):
        item = {
            "name": self.name,
            "formulation": self.formulation,
            "daily_dose": _number(self.daily_dose),
            "unit": self.unit,
            "purpose": self.purpose,
        }
        if self.name == OpioidName.OTHER:
            item["other_name"] = self.other_name
        if self.product:
            item["product"] = self.product
        if self.strength_label:
            item["strength"] = self.strength_label
        item.update(self.combination_parts())
        if self.schedule:
            item["schedule"] = self.schedule
        return item

    def combination_parts(self):
        """The product's name and its non-opioid ingredients a day (ruling 18 sums them),
        worked out from the product list; nothing for a medicine not on it."""
        product = medicines.get_product(self.product) if self.product else None
        if product is None or not self.strength_label:
            return {}
        strength = medicines.read_strength(product, self.strength_label).strength
        if strength is None:
            return {"product_name": product.name}
        parts = medicines.non_opioid_parts(product, strength, self.daily_dose)
        return {"product_name": product.name, **({"non_opioid_parts": parts} if parts else {})}

    @property
    def display_name(self):
        """The name the patient chose, in the page's language: a product that describes the
        medicine ("Fentanyl patch") reads "Parche de fentanilo" on a Spanish page."""
        if self.name == OpioidName.OTHER:
            return self.other_name or "Other opioid"
        product = medicines.get_product(self.product) if self.product else None
        if product is not None and self.chosen_as == product.name:
            return product.name_in(translation.get_language())
        return self.chosen_as or self.get_name_display()

    @property
    def as_entered(self):
        """ "Percocet 5 mg/325 mg, 1 tablet 4 times a day", in the page's language."""
        return summary.medicine_as_entered(self)

    @property
    def daily_opioid(self):
        """ "20 mg of oxycodone a day": the opioid part, worked out from what was entered."""
        return summary.medicine_daily_dose(self)

    @property
    def confirmation_notes(self):
        """For the clinician: what the patient said was right although it looked wrong."""
        return [summary.CONFIRMATION_NOTES.get(c, c) for c in self.confirmed_by_patient]


class ResumeAttemptQuerySet(models.QuerySet):
    def is_over_limit(self, address_hash):
        """Whether this address has missed too often lately to be allowed another try."""
        window_start = timezone.now() - datetime.timedelta(minutes=settings.RESUME_WINDOW_MINUTES)
        recent = self.filter(address_hash=address_hash, attempted_at__gte=window_start)
        return recent.count() >= settings.RESUME_ATTEMPTS_PER_ADDRESS

    def stale(self, now=None):
        """Tries no limit reads any more (its window is minutes; a day is kept for a look)."""
        return self.filter(attempted_at__lt=(now or timezone.now()) - datetime.timedelta(days=1))


class ResumeAttempt(models.Model):
    """A failed try at resuming an intake, kept to slow down guessing from one address."""

    address_hash = models.CharField(max_length=64, db_index=True)
    attempted_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ResumeAttemptQuerySet.as_manager()

    def __str__(self):
        return f"Failed resume at {self.attempted_at:%Y-%m-%d %H:%M}"


class PatientEmailQuerySet(models.QuerySet):
    def allow(self, intake, address, client):
        """Whether one more email may go: within the limits per intake and per address (a
        day) and per client (an hour), so that no one can mail an address over and over."""
        now = timezone.now()
        day, hour = now - datetime.timedelta(days=1), now - datetime.timedelta(hours=1)
        return (
            self.filter(intake=intake, sent_at__gte=day).count()
            < settings.PATIENT_EMAILS_PER_INTAKE
            and self.filter(address_hash=email_hash(address), sent_at__gte=day).count()
            < settings.PATIENT_EMAILS_PER_ADDRESS
            and self.filter(client_hash=keyed_hash(client), sent_at__gte=hour).count()
            < settings.PATIENT_EMAILS_PER_CLIENT
        )

    def stale(self, now=None):
        """Rows no limit reads any more (all windows are a day or less)."""
        return self.filter(sent_at__lt=(now or timezone.now()) - datetime.timedelta(days=2))


def email_hash(address):
    return keyed_hash("patient-email:" + address.strip().casefold())


class PatientEmail(models.Model):
    """An email a patient's page sent (a resume link, a confirmation), counted to limit them.

    Only keyed hashes of the address and the client are kept; rows older than the limits'
    windows are deleted by `purge_expired_intakes`."""

    class Kind(models.TextChoices):
        RESUME_LINK = "resume_link", "Link to carry on"
        CONFIRMATION = "confirmation", "Form arrived"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="+")
    address_hash = models.CharField(max_length=64, db_index=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PatientEmailQuerySet.as_manager()

    def __str__(self):
        return f"{self.get_kind_display()} email at {self.sent_at:%Y-%m-%d %H:%M}"


class ScreeningQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def needing_review(self):
        """The worklist: current screenings with an OIH level or an alert a clinician must see."""
        return self.current().filter(priority__isnull=False)

    def assigned_to(self, user):
        return self.filter(assigned_to=user)


# Ruling 12 (oih-facts section 4): the weight of each alert code, from the rules' own table
# (intake.screening.alerts.ALERT_INDICATOR). The worklist's order is derived from these by
# the database (Screening.priority), so it cannot disagree with them.
ALERTS_TO_REVIEW = frozenset(URGENT_ALERT_CODES + WARNING_ALERT_CODES)


class Screening(models.Model):
    """The rules' result for one intake. Never edited: a rescreen adds a new current row."""

    class Level(models.TextChoices):
        FLAG = "flag", "Flag: review"
        BORDERLINE = "borderline", "Borderline"
        NONE = "none", "None"

    class Cause(models.TextChoices):
        SUBMISSION = "submission", "Submitted"
        RESCREEN = "rescreen", "Rescreened under new rules"
        MATCH_CONFIRMED = "match_confirmed", "Compared again when a clinician confirmed the patient"
        CORRECTION = "correction", "Rescreened after a correction"

    class Alert(models.TextChoices):
        """The words for the rules' alert codes (intake.screening.ALERT_CODES)."""

        MME_GE_50 = "mme_ge_50", "MME 50 or more"
        MME_GE_90 = "mme_ge_90", "MME 90 or more"
        MME_NOT_COMPUTABLE = "mme_not_computable", "MME not computed"
        WITHDRAWAL_AFTER_DOSE_CUT = (
            "withdrawal_after_dose_cut",
            "Withdrawal after a dose cut, stop or switch (urgent)",
        )
        WITHDRAWAL_SYMPTOMS_AFTER_CHANGE = (
            "withdrawal_symptoms_after_change",
            "Withdrawal symptoms after a dose change",
        )
        MISUSE_SIGNALS = "misuse_signals", "Misuse signals"
        DATA_QUALITY = "data_quality", "Data quality"
        OVER_LABEL_MAXIMUM = "over_label_maximum", "Above a label maximum across products"
        SEDATIVE_WITH_OPIOID = "sedative_with_opioid", "Sedative with opioids"
        GABAPENTINOID_WITH_OPIOID = "gabapentinoid_with_opioid", "Gabapentinoid with opioids"
        NALOXONE_NOT_AT_HOME = "naloxone_not_at_home", "No naloxone at home"

    class Priority(models.IntegerChoices):
        """The worklist's order: urgent alerts, OIH flags, warning alerts, borderline results."""

        URGENT = 0, "Urgent"
        FLAG = 1, "OIH flag"
        WARNING = 2, "Warning"
        BORDERLINE = 3, "Borderline"

    class ReviewStatus(models.TextChoices):
        """Where a screening stands with the clinicians: unreviewed, or the decision made."""

        UNREVIEWED = "unreviewed", "Unreviewed"
        # Alerts only: no OIH level to accept or override, what was done is the review.
        REVIEWED = "reviewed", "Reviewed"
        ACCEPTED = "accept", "Accepted"
        OVERRIDDEN = "override", "Overridden"
        FOLLOW_UP = "follow_up", "Needs follow-up"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="screenings")
    is_current = models.BooleanField(default=True)
    cause = models.CharField(max_length=20, choices=Cause.choices, default=Cause.SUBMISSION)
    rules_version = models.CharField(max_length=20)
    factor_table = models.CharField(max_length=20)
    level = models.CharField(max_length=12, choices=Level.choices)
    # The queue's order, flags first: derived by the database, so it cannot disagree with level.
    level_rank = models.GeneratedField(
        expression=models.Case(
            models.When(level="flag", then=models.Value(0)),
            models.When(level="borderline", then=models.Value(1)),
            default=models.Value(2),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    # What needs a clinician, most pressing first (Priority); null when nothing does. Derived
    # by the database from the level and the alert codes, so the one write path cannot get
    # it wrong and the worklist's index can serve its order.
    priority = models.GeneratedField(
        expression=models.Case(
            models.When(alert_codes__overlap=URGENT_ALERT_CODES, then=models.Value(0)),
            models.When(level="flag", then=models.Value(1)),
            models.When(alert_codes__overlap=WARNING_ALERT_CODES, then=models.Value(2)),
            models.When(level="borderline", then=models.Value(3)),
            default=None,
        ),
        output_field=models.PositiveSmallIntegerField(null=True),
        db_persist=True,
    )
    mme_total = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    alert_codes = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    reason_codes = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    # What the flag rests on; the same evidence already reviewed is not raised again.
    evidence_key = models.CharField(max_length=64, blank=True)
    is_repeat_of_reviewed = models.BooleanField(default=False)
    # Copies kept for the review queue's order, so one index can serve it (see Meta).
    is_reviewed = models.BooleanField(default=False, db_default=False)
    intake_submitted_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The clinician who is to look at this item ("My items"); carried to a rescreen's row.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_screenings",
    )
    # The hand-off: who assigned the item, when, and their note to the colleague.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    handoff_note = models.TextField(max_length=MAX_TEXT_LENGTH, blank=True)
    # When an unacknowledged urgent item was sent again to the duty list (escalate_urgent).
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["intake"],
                condition=models.Q(is_current=True),
                name="one_current_screening_per_intake",
            ),
        ]
        indexes = [
            # The worklist: unreviewed first, most pressing first, longest waiting first.
            models.Index(
                fields=["is_reviewed", "priority", "intake_submitted_at", "id"],
                condition=models.Q(
                    is_current=True, is_repeat_of_reviewed=False, priority__isnull=False
                ),
                name="screening_worklist_idx",
            ),
            models.Index(
                fields=["assigned_to", "is_reviewed", "priority", "intake_submitted_at", "id"],
                condition=models.Q(is_current=True, assigned_to__isnull=False),
                name="screening_assigned_idx",
            ),
            models.Index(fields=["rules_version"], name="screening_rules_version_idx"),
            # The worklist's alert filter: `alert_codes @> {code}` on current screenings.
            GinIndex(
                fields=["alert_codes"],
                condition=models.Q(is_current=True),
                name="screening_alert_codes_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} ({self.rules_version})"

    @property
    def review_status(self):
        recorded = getattr(self, "review", None)
        if recorded is None:
            return self.ReviewStatus.UNREVIEWED
        return self.ReviewStatus(recorded.decision or self.ReviewStatus.REVIEWED)

    @property
    def reasons(self):
        return self.result.get("oih", {}).get("reasons", [])

    @property
    def alerts(self):
        return self.result.get("alerts", [])

    @property
    def alerts_to_review(self):
        """The urgent and warning alerts: those a review must answer (ruling 12)."""
        return [alert for alert in self.alerts if alert["code"] in ALERTS_TO_REVIEW]

    @property
    def has_oih_level(self):
        return self.level in (self.Level.FLAG, self.Level.BORDERLINE)


class Review(models.Model):
    """A clinician's conclusion on a screening: one per screening, covering its OIH level and
    its alerts. It may be amended; simple-history keeps every earlier version."""

    class Action(models.TextChoices):
        CONTACTED_PATIENT = "contacted_patient", "Contacted the patient"
        DISCUSS_AT_VISIT = "discuss_at_visit", "Will discuss at the visit"
        DATA_CORRECTED = "data_corrected", "Data corrected"
        NO_ACTION = "no_action", "No action (give the reason below)"

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Accept: OIH pattern worth discussing"
        OVERRIDE = "override", "Override"
        FOLLOW_UP = "follow_up", "Needs follow-up"

    class OverrideReason(models.TextChoices):
        TOLERANCE = "tolerance", "Tolerance"
        WITHDRAWAL = "withdrawal", "Withdrawal"
        DISEASE_PROGRESSION = "disease_progression", "Disease progression"
        NEW_INJURY = "new_injury", "New injury"
        OPIOID_USE_DISORDER = "opioid_use_disorder", "Opioid use disorder"
        DATA_ERROR = "data_error", "Data error"
        OTHER = "other", "Other"

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="review")
    # On the OIH level, where there is one.
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    # What was done about the screening, its alerts included.
    action = models.CharField(max_length=20, choices=Action.choices, blank=True)
    override_reason = models.CharField(max_length=24, choices=OverrideReason.choices, blank=True)
    note = models.TextField(max_length=MAX_TEXT_LENGTH, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intake_reviews"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    # Set when the review is changed after it was first recorded; the first stays in history.
    amended_at = models.DateTimeField(null=True, blank=True)
    # "Needs follow-up" by when: due items rise in the worklist.
    follow_up_due = models.DateField(null=True, blank=True)

    # The clinician's one write, audited by django-simple-history like the articles.
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="override") | ~models.Q(override_reason=""),
                name="review_override_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(action="no_action") | ~models.Q(note=""),
                name="review_no_action_has_note",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="", action=""),
                name="review_says_something",
            ),
        ]

    def __str__(self):
        return self.get_decision_display() or self.get_action_display()

    def clean(self):
        """What every review must hold, whoever records it: a conclusion on the OIH level
        where there is one, what was done where there are alerts to answer, an override
        that says why, a note for "Other" and for "No action". A reason is kept only for an
        override, and a conclusion only where there is an OIH level."""
        errors = {}
        screening = self.screening if self.screening_id else None
        has_level = screening is None or screening.has_oih_level
        if screening is not None and not has_level:
            self.decision = ""
        elif not self.decision:
            errors["decision"] = ValidationError(
                "Choose your conclusion on the OIH result.", code="decision_needed"
            )
        if not self.action and screening is not None and screening.alerts_to_review:
            errors["action"] = ValidationError(
                "Say what was done about the alerts.", code="action_needed"
            )
        if (
            self.action == self.Action.DATA_CORRECTED
            and screening is not None
            and not screening.intake.corrections.exists()
        ):
            errors["action"] = ValidationError(
                'Correct the answer first: "Data corrected" says a correction was made.',
                code="no_correction",
            )
        if self.action == self.Action.NO_ACTION and not self.note.strip():
            errors["note"] = ValidationError(
                "Add a note saying why no action is taken.", code="no_action_needs_note"
            )
        if self.decision == self.Decision.OVERRIDE:
            if not self.override_reason:
                errors["override_reason"] = ValidationError(
                    "Choose the reason you are overriding the flag.", code="override_needs_reason"
                )
            elif self.override_reason == self.OverrideReason.OTHER and not self.note.strip():
                errors["note"] = ValidationError(
                    'Add a note saying why when the reason is "Other".', code="other_needs_note"
                )
        else:
            self.override_reason = ""
        if self.decision == self.Decision.FOLLOW_UP:
            if self.follow_up_due is None:
                self.follow_up_due = timezone.localdate() + datetime.timedelta(
                    days=DEFAULT_FOLLOW_UP_DAYS
                )
        else:
            self.follow_up_due = None
        # A TextField's max_length binds only its form field; a review recorded in code is
        # held to it here.
        if len(self.note) > MAX_TEXT_LENGTH:
            errors["note"] = ValidationError(
                f"Keep the note to {MAX_TEXT_LENGTH} characters or fewer.", code="note_too_long"
            )
        if errors:
            raise ValidationError(errors)


class AccessLog(models.Model):
    """Every time a member of staff sees a patient's identity or answers: an intake, a patient,
    a list or search of them, their history, or an export by an operator's command."""

    class What(models.TextChoices):
        RECORD = "record", "A record"
        LIST = "list", "A list"
        SEARCH = "search", "A search"
        AUTOCOMPLETE = "autocomplete", "Suggestions while typing"
        HISTORY = "history", "A record's history"
        EXPORT = "export", "An export"

    # None for a command run on the server: `operator` names the account that ran it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    operator = models.CharField(max_length=150, blank=True)
    what = models.CharField(max_length=12, choices=What.choices, default=What.RECORD)
    # What kind of rows were shown ("patients", "intakes"); the record, when it was one.
    subject = models.CharField(max_length=50, blank=True)
    intake = models.ForeignKey(
        Intake, null=True, blank=True, on_delete=models.PROTECT, related_name="access_logs"
    )
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="access_logs"
    )
    # A search term names a patient: only its keyed hash is kept, enough to answer "was this
    # name searched?" without the log itself listing names.
    search_hash = models.CharField(max_length=64, blank=True)
    record_count = models.PositiveIntegerField(null=True, blank=True)
    # A list's or search's rows: which patients were shown (their ids).
    patients_shown = ArrayField(models.IntegerField(), default=list, blank=True)
    action = models.CharField(max_length=20, default="view")
    # The path only: query strings can hold search terms.
    path = models.CharField(max_length=300)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at"]

    def __str__(self):
        who = self.user or self.operator
        shown = self.intake or self.patient or self.subject
        return f"{who} {self.what} {shown} at {self.accessed_at:%Y-%m-%d %H:%M}"


class AnswerCorrection(models.Model):
    """A clinician's correction of an answer, with the reason; the original is kept here,
    and the intake is screened again at once (rescreening.rescreen_after_correction)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="corrections")
    medicine = models.ForeignKey(
        IntakeMedicine, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The answer in words ("Fentanyl: daily dose and unit"), what it was and what it is now.
    answer = models.CharField(max_length=200)
    original = models.CharField(max_length=200)
    corrected = models.CharField(max_length=200)
    reason = models.TextField(max_length=MAX_TEXT_LENGTH)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(default=timezone.now)
    # The screening made from the corrected answers.
    screening = models.ForeignKey(
        "Screening", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-corrected_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.answer}: {self.original} -> {self.corrected}"


def _number(value):
    """A Decimal from the database as the JSON number the format expects."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class Rescreen(models.Model):
    """One run of `manage.py rescreen --apply`: stored flags change only through a recorded act."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    rules_version = models.CharField(max_length=20)
    is_dry_run = models.BooleanField(default=False)
    examined = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    # Counts per level change and alert change, example references, the user named.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return (
            f"Rescreen under rules {self.rules_version} at {self.started_at:%Y-%m-%d %H:%M}: "
            f"{self.changed} of {self.examined} changed"
        )
