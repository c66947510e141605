"""Starting a follow-up from the intake page: a schedule of check-ins and a planned dose change.

The patient's private link is shown once, for the clinician to hand over, and emailed only
where the patient gave an address and the clinician confirms they agreed to it.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from intake.check_ins import CHECK_IN_MINUTES
from intake.models import FollowUp, Intake
from intake.review import access
from intake.review.access_log import log_view
from intake.review.labels import patient_name
from oih_site.tasks import queue_email

TEMPLATE = "admin/intake/intake/follow_up.html"
EVERY_WEEKS_CHOICES = [(1, "Every week"), (2, "Every 2 weeks"), (4, "Every 4 weeks")]
FOR_WEEKS_CHOICES = [(weeks, f"{weeks} weeks") for weeks in (4, 8, 12, 16, 24)]
# A planned change further back than this is not a plan any more.
PLANNED_CHANGE_PAST_DAYS = 28


class FollowUpForm(forms.ModelForm):
    every_weeks = forms.TypedChoiceField(
        label="Check-ins", choices=EVERY_WEEKS_CHOICES, coerce=int, initial=2
    )
    for_weeks = forms.TypedChoiceField(
        label="For", choices=FOR_WEEKS_CHOICES, coerce=int, initial=12
    )
    planned_dose_change = forms.ChoiceField(
        label="Planned dose change",
        choices=FollowUp.PlannedChange.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    planned_dose_change_on = forms.DateField(
        label="It starts on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The day the new dose begins. The withdrawal window is the 4 weeks after it.",
    )
    send_email = forms.BooleanField(
        label="The patient agreed to get the link by email",
        required=False,
    )

    class Meta:
        model = FollowUp
        fields = ["every_weeks", "for_weeks", "planned_dose_change", "planned_dose_change_on"]

    def __init__(self, *args, patient_email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.patient_email = patient_email
        if not patient_email:
            del self.fields["send_email"]

    def clean(self):
        cleaned = super().clean()
        change, on = cleaned.get("planned_dose_change"), cleaned.get("planned_dose_change_on")
        every, for_weeks = cleaned.get("every_weeks"), cleaned.get("for_weeks")
        if every and for_weeks and for_weeks < every:
            self.add_error(
                "for_weeks", ValidationError("Allow time for one check-in.", code="too_short")
            )
        if change and on is None:
            self.add_error(
                "planned_dose_change_on",
                ValidationError("Give the day the new dose starts.", code="date_needed"),
            )
        if not change:
            cleaned["planned_dose_change_on"] = None
        elif on and on < timezone.localdate() - datetime.timedelta(days=PLANNED_CHANGE_PAST_DAYS):
            self.add_error(
                "planned_dose_change_on",
                ValidationError(
                    "That is more than 4 weeks ago. Give the start of the change to come.",
                    code="date_too_old",
                ),
            )
        return cleaned


@transaction.atomic
def start_follow_up(intake, user, data, email_to=""):
    """Store the follow-up and queue the link's email if asked; return (follow_up, token)."""
    follow_up = FollowUp(
        patient=intake.patient,
        started_from=intake,
        started_by=user,
        every_weeks=data["every_weeks"],
        for_weeks=data["for_weeks"],
        planned_dose_change=data["planned_dose_change"] or "",
        planned_dose_change_on=data["planned_dose_change_on"],
        email_link_to=email_to,
    )
    follow_up.ends_at = follow_up.started_at + datetime.timedelta(weeks=data["for_weeks"], days=7)
    token = follow_up.issue_link()
    follow_up.save()
    if email_to:
        # Part of the transaction: sent only if the follow-up is stored.
        _email_check_in_link(follow_up, token, email_to, intake.language)
    return follow_up, token


def _email_check_in_link(follow_up, token, email_to, language):
    """The patient's link, in the language they answered in, with its date in that
    language's own format (US in English)."""
    with translation.override(language or "en"):
        every = ngettext("every week", "every %(weeks)d weeks", follow_up.every_weeks) % {
            "weeks": follow_up.every_weeks
        }
        queue_email(
            subject=gettext("Your check-in link from the pain clinic"),
            body=gettext(
                "Your care team asked you to check in %(every)s. It takes about "
                "%(minutes)d minutes.\n\n"
                "Your private link: %(link)s\n\n"
                "Keep this link to yourself. It works until %(date)s.\n"
                "Do not stop or change your dose on your own; talk to your clinician."
            )
            % {
                "every": every,
                "minutes": CHECK_IN_MINUTES,
                "link": check_in_link(token, language),
                "date": date_format(timezone.localtime(follow_up.ends_at), "DATE_FORMAT"),
            },
            to=[email_to],
        )


def follow_up_actions(request, intake, follow_ups):
    """What the intake page offers around follow-up: start one, the active one, print."""
    now = timezone.now()
    active = next((f for f in follow_ups if f.ends_at > now), None)
    return {
        "can_start": intake.patient_id is not None and request.user.has_perm("intake.add_followup"),
        "active": active,
        "next_due": active.next_due_date() if active else None,
        "is_check_in": intake.is_check_in,
    }


def check_in_link(token, language):
    """The patient's private link, with the words of the language they answered in
    (/es/formulario/control/enlace/<token>/ in Spanish)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse("checkin:link", args=[token])


def follow_up_page(request, object_id):
    intake, refusal = access.intake_for(request, object_id, permission="intake.add_followup")
    if refusal:
        return refusal
    if intake.patient_id is None:
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "opts": Intake._meta,
        "title": f"Start a follow-up: {intake.reference}",
        "intake": intake,
        "patient_name": patient_name(intake),
        "intake_url": intake.get_admin_url(),
    }
    form = FollowUpForm(request.POST or None, patient_email=intake.email)
    if request.method == "POST" and form.is_valid():
        email_to = intake.email if form.cleaned_data.get("send_email") else ""
        follow_up, token = start_follow_up(intake, request.user, form.cleaned_data, email_to)
        context.update(
            follow_up=follow_up,
            link=check_in_link(token, intake.language),
            due_dates=follow_up.due_dates(),
        )
        return log_view(request, intake, TemplateResponse(request, TEMPLATE, context))
    context["form"] = form
    return log_view(request, intake, TemplateResponse(request, TEMPLATE, context))
