"""The intake journey: its steps in order, each with its page title and form."""

from dataclasses import dataclass

from intake.journey import forms


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None = None
    mentions_dose_changes: bool = False
    template_name: str = "intake/journey/step_form.html"


STEPS = [
    Step("about-you", "About you", forms.AboutYouForm),
    Step("medicines", "Your opioid medicines"),
    Step("opioid-use", "Opioids over time", forms.OpioidUseForm, mentions_dose_changes=True),
    Step(
        "dose-changes",
        "Dose changes and your pain",
        forms.DoseResponseForm,
        mentions_dose_changes=True,
    ),
    Step(
        "pain-map",
        "Where it hurts",
        forms.PainMapForm,
        template_name="intake/journey/step_pain_map.html",
    ),
    Step("pain-details", "How it hurts", forms.PainDetailsForm),
    Step("other-questions", "Other questions", forms.OtherQuestionsForm),
    Step("check", "Check your answers"),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
FORM_STEPS = [step for step in STEPS if step.form_class]


def number(step):
    return STEPS.index(step) + 1


def next_step(step):
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(step):
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def first_unfinished(intake):
    """Where a returning patient carries on: the first step not yet saved."""
    for step in STEPS[:-1]:
        if step.slug not in intake.completed_steps:
            return step
    return STEPS[-1]
