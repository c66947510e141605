"""The intake journey: its pages in order, each asking one thing, and which apply.

One thing per page (GOV.UK and NHS service manual pattern): a page asks one
question, or a few that a patient answers as one (their details; the three
"past week" scores). A page whose question cannot apply is skipped: a patient
who does not take opioids now is not asked about the time before the next dose,
and one whose dose stayed the same is not asked what their pain did when it
changed. The check page says why a page was skipped.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from intake.choices import DoseChange
from intake.journey import forms


def _always(intake):
    return True


def _not_taking_now(intake):
    return intake.currently_taking_opioids is False


def _taking_now(intake):
    return intake.currently_taking_opioids is not False


def _dose_changed(intake):
    return intake.dose_change_last_6_months != DoseChange.STABLE


def _dose_changed_or_stopped(intake):
    return intake.dose_change_last_6_months not in (DoseChange.STABLE, DoseChange.UNKNOWN)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None = None
    section: str = ""
    mentions_dose_changes: bool = False
    template_name: str = "intake/journey/step_form.html"
    # True where the page asks one question: the question is the page's heading.
    question_is_heading: bool = True
    applies: Callable = _always
    skipped_because: str = ""
    # The check page's rows this page answers: intake.summary's section slug and row labels.
    summary_section: str = ""
    answer_labels: tuple = field(default_factory=tuple)

    @property
    def fields_saved(self):
        return self.form_class.fields_saved() if self.form_class else []


STEPS = [
    Step(
        "about-you",
        _("About you"),
        forms.AboutYouForm,
        section=_("About you"),
        question_is_heading=False,
    ),
    Step(
        "medicines",
        _("Your opioid medicines"),
        section=_("Your opioid medicines"),
        question_is_heading=False,
    ),
    Step(
        "opioid-use",
        _("Do you take opioid medicine now?"),
        forms.TakingNowForm,
        section=_("Opioids over time"),
        summary_section="opioid-use",
        answer_labels=("Take opioids now",),
    ),
    Step(
        "time-on-opioids",
        _("How long you have taken opioids"),
        forms.TimeOnOpioidsForm,
        section=_("Opioids over time"),
        summary_section="opioid-use",
        answer_labels=("How long on opioids",),
    ),
    Step(
        "time-since-stopped",
        _("When you stopped"),
        forms.TimeSinceStoppedForm,
        section=_("Opioids over time"),
        applies=_not_taking_now,
        skipped_because=_("You said you take opioid medicine now."),
        summary_section="opioid-use",
        answer_labels=("Stopped how long ago",),
    ),
    Step(
        "dose-change",
        _("In the last 6 months, what happened to your opioid dose?"),
        forms.DoseChangeForm,
        section=_("Opioids over time"),
        mentions_dose_changes=True,
        summary_section="opioid-use",
        answer_labels=("Dose in the last 6 months",),
    ),
    Step(
        "dose-change-weeks",
        _("When your dose last changed"),
        forms.DoseChangeWeeksForm,
        section=_("Opioids over time"),
        applies=_dose_changed_or_stopped,
        skipped_because=_("You said your dose stayed the same, or you were not sure."),
        summary_section="opioid-use",
        answer_labels=("Last dose change",),
    ),
    Step(
        "dose-changes",
        _("When your dose went up"),
        forms.DoseUpForm,
        section=_("Dose changes and your pain"),
        applies=_dose_changed,
        skipped_because=_("You said your dose stayed the same."),
        summary_section="dose-changes",
        answer_labels=("When the dose went up",),
    ),
    Step(
        "dose-down",
        _("When your dose went down"),
        forms.DoseDownForm,
        section=_("Dose changes and your pain"),
        applies=_dose_changed,
        skipped_because=_("You said your dose stayed the same."),
        summary_section="dose-changes",
        answer_labels=("When the dose went down",),
    ),
    Step(
        "between-doses",
        _("Before your next dose"),
        forms.BetweenDosesForm,
        section=_("Dose changes and your pain"),
        question_is_heading=False,
        applies=_taking_now,
        skipped_because=_("You said you do not take opioid medicine now."),
        summary_section="dose-changes",
        answer_labels=("Pain before the next dose or a missed dose", "At those times"),
    ),
    Step(
        "pain-map",
        _("Where do you feel pain now?"),
        forms.PainMapForm,
        section=_("Where it hurts"),
        template_name="intake/journey/step_pain_map.html",
        summary_section="pain-map",
        answer_labels=("Pain now",),
    ),
    Step(
        "pain-map-start",
        _("Where did your pain first start?"),
        forms.PainStartMapForm,
        section=_("Where it hurts"),
        template_name="intake/journey/step_pain_map.html",
        summary_section="pain-map",
        answer_labels=("Where it first started",),
    ),
    Step(
        "pain-details",
        _("How bad is your pain now?"),
        forms.PainNowForm,
        section=_("How it hurts"),
        summary_section="pain-details",
        answer_labels=("Pain now",),
    ),
    Step(
        "pain-at-start",
        _("How bad was your pain before you started opioids?"),
        forms.PainAtStartForm,
        section=_("How it hurts"),
        summary_section="pain-details",
        answer_labels=("Pain before opioids",),
    ),
    Step(
        "pain-past-week",
        _("Your pain in the past week"),
        forms.PainPastWeekForm,
        section=_("How it hurts"),
        question_is_heading=False,
        summary_section="pain-details",
        answer_labels=(
            "Average pain, past week",
            "Pain got in the way of enjoying life",
            "Pain got in the way of daily activities",
        ),
    ),
    Step(
        "new-pain",
        _("Since starting opioids, have you had any new kinds of pain?"),
        forms.NewPainForm,
        section=_("How it hurts"),
        summary_section="pain-details",
        answer_labels=("New kinds of pain",),
    ),
    Step(
        "new-injury",
        _("New injury or health problem"),
        forms.NewInjuryForm,
        section=_("How it hurts"),
        question_is_heading=False,
        summary_section="pain-details",
        answer_labels=("New injury, surgery or worse health problem", "About it"),
    ),
    Step(
        "other-questions",
        _("Have any of these happened in the past year?"),
        forms.MisuseSignsForm,
        section=_("Other questions"),
        summary_section="other-questions",
        answer_labels=("Happened in the past year",),
    ),
    Step(
        "oud",
        _("Has a clinician ever told you that you have opioid use disorder (addiction)?"),
        forms.OpioidUseDisorderForm,
        section=_("Other questions"),
        summary_section="other-questions",
        answer_labels=("Told you have opioid use disorder",),
    ),
    Step(
        "other-medicines",
        _("Other medicines"),
        forms.OtherMedicinesForm,
        section=_("Other medicines"),
        question_is_heading=False,
        summary_section="other-medicines",
        answer_labels=("Other medicines", "Naloxone (Narcan) at home"),
    ),
    Step("check", _("Check your answers"), question_is_heading=False),
]
# How long the form takes, from a scripted walk of the standard journey in Chromium (two
# medicines, four places; `git show b3cefc3:bench/journey_walk.py`) read at 130 words a
# minute (a grade-6 reader), 3 seconds a tap and 1 a typed character: 21.4 minutes in
# English and 22.2 in Spanish before the other-medicines page, rounded up. The home page
# says the same.
MINUTES_TO_COMPLETE = 25
STEP_BY_SLUG = {step.slug: step for step in STEPS}
FORM_STEPS = [step for step in STEPS if step.form_class]


def applicable(intake):
    return [step for step in STEPS if step.applies(intake)]


def number(step, intake=None):
    pages = applicable(intake) if intake is not None else STEPS
    return pages.index(step) + 1 if step in pages else STEPS.index(step) + 1


def count(intake=None):
    return len(applicable(intake)) if intake is not None else len(STEPS)


def next_step(step, intake=None):
    index = STEPS.index(step)
    for later in STEPS[index + 1 :]:
        if intake is None or later.applies(intake):
            return later
    return None


def previous_step(step, intake=None):
    index = STEPS.index(step)
    for earlier in reversed(STEPS[:index]):
        if intake is None or earlier.applies(intake):
            return earlier
    return None


def first_unfinished(intake):
    """Where a returning patient carries on: the first page that applies and is not saved."""
    for step in STEPS[:-1]:
        if step.applies(intake) and step.slug not in intake.completed_steps:
            return step
    return STEPS[-1]


def unfinished(intake):
    return [s for s in STEPS[:-1] if s.applies(intake) and s.slug not in intake.completed_steps]


def clear_skipped(intake):
    """Answers to pages that no longer apply are cleared, so what is sent is what was asked.

    Say a patient first said they had stopped opioids, then went back and said they take
    them now: the time since they stopped must not be sent.
    """
    for step in FORM_STEPS:
        if step.applies(intake):
            continue
        for name in step.fields_saved:
            model_field = intake._meta.get_field(name)
            setattr(intake, name, model_field.get_default() if not model_field.null else None)
        if step.slug in intake.completed_steps:
            intake.completed_steps = [s for s in intake.completed_steps if s != step.slug]


def step_for_answer(section_slug, label):
    """The page that asks the check page's row `label` of summary section `section_slug`."""
    for step in STEPS:
        if step.summary_section == section_slug and label in step.answer_labels:
            return step
    return None
