"""The patient's check-in: a private link opens it, a few short pages, then it is sent.

The link's token is exchanged for a session on first use and the browser is sent on to a
clean address, so the token stays out of the address bar, the history and the logs. Views
stay thin: the forms validate, `intake.check_ins` fills and submits.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from education.models import SAFETY_MESSAGE
from intake import check_ins
from intake.checkin import forms
from intake.choices import BodyRegion
from intake.journey.medicine_form import MedicineForm
from intake.journey.posted_state import clean_path, recall, remember
from intake.journey.views import medicine_form_again
from intake.models import FollowUp, Intake
from intake.screening import DocumentError

SESSION_FOLLOW_UP = "check_in_follow_up_id"
SESSION_SENT = "check_in_sent_id"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type | None = None
    mentions_dose_changes: bool = False


STEPS = [
    Step("pain", _("Your pain now"), forms.PainNowForm),
    Step("peg", _("Your past week"), forms.PegForm),
    Step("doses", _("Your opioid medicines"), forms.DosesForm, mentions_dose_changes=True),
    Step("withdrawal", _("How you have felt"), forms.WithdrawalForm),
    Step("anything-new", _("Anything new"), forms.AnythingNewForm),
    Step("check", _("Check and send")),
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def _session_follow_up(request):
    follow_up_id = request.session.get(SESSION_FOLLOW_UP)
    if follow_up_id is None:
        return None
    follow_up = FollowUp.objects.active().filter(pk=follow_up_id).first()
    if follow_up is None:
        request.session.pop(SESSION_FOLLOW_UP, None)
        return None
    request.session.set_expiry(settings.INTAKE_IDLE_MINUTES * 60)
    return follow_up


def _ended(request):
    return render(request, "intake/checkin/ended.html", status=410)


def open_link(request, token):
    follow_up = FollowUp.objects.by_link(token)
    if follow_up is None:
        return _ended(request)
    request.session.cycle_key()
    request.session[SESSION_FOLLOW_UP] = follow_up.pk
    request.session.set_expiry(settings.INTAKE_IDLE_MINUTES * 60)
    return redirect("checkin:start")


def start(request):
    follow_up = _session_follow_up(request)
    if follow_up is None:
        return _ended(request)
    if request.method == "POST":
        check_in = check_ins.start_check_in(follow_up)
        return redirect("checkin:step", slug=_first_unfinished(check_in).slug)
    if check_ins.open_check_in(follow_up) is None and follow_up.has_recent_check_in():
        # The link opened again after sending: the check-in is in, nothing new is started.
        return redirect("checkin:done")
    return render(
        request,
        "intake/checkin/start.html",
        {
            "follow_up": follow_up,
            "next_due": follow_up.next_check_in_due(),
            "minutes": check_ins.CHECK_IN_MINUTES,
        },
    )


def step_view(request, slug):
    step = STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step.")
    follow_up = _session_follow_up(request)
    if follow_up is None:
        return _ended(request)
    check_in = check_ins.open_check_in(follow_up)
    if check_in is None:
        return _none_open(request)
    if step.slug == "check":
        return check_and_send(request, check_in, step)
    # A post that stayed on its page is shown again by the GET that follows (posted_state).
    posted = request.POST if request.method == "POST" else recall(request)[0]
    form = _form(step, posted, check_in)
    if request.method == "POST" and form.is_valid():
        _save(step, form, check_in)
        if step.slug == "doses" and (medicine_page := _medicine_page(request.POST)):
            return redirect(medicine_page)
        following = STEPS[STEPS.index(step) + 1]
        if request.POST.get("next") == "check":
            following = STEP_BY_SLUG["check"]
        return redirect("checkin:step", slug=following.slug)
    if request.method == "POST":
        return remember(request)
    return render(request, "intake/checkin/step.html", _context(request, check_in, step, form))


def _form(step, posted, check_in):
    if step.slug == "doses":
        return forms.DosesForm(posted, medicines=list(check_in.medicines.all()))
    if step.slug == "anything-new":
        previous = check_ins.previous_visit(check_in.follow_up)
        return forms.AnythingNewForm(
            posted, initial=forms.AnythingNewForm.initial_from(check_in, previous)
        )
    return step.form_class(posted, instance=check_in)


@transaction.atomic
def _save(step, form, check_in):
    """Save the page's answers at once, so nothing is lost if the patient stops here: in one
    transaction, so a page costs one commit (one WAL flush) however many rows it changes."""
    if step.slug == "doses":
        form.save()
    elif step.slug == "anything-new":
        form.save(check_in, check_ins.previous_visit(check_in.follow_up))
    else:
        form.save(commit=False)
    check_in.mark_step_done(step.slug)
    check_in.save()


def _medicine_page(posted):
    """Where a doses page's "Add" or "Change" button leads, once the page is saved."""
    action = posted.get("action") or ""
    if action == "add_medicine":
        return reverse("checkin:add_medicine")
    if action.startswith("change_") and action.removeprefix("change_").isdigit():
        return reverse("checkin:change_medicine", args=[int(action.removeprefix("change_"))])
    return None


def medicine(request, medicine_id=None):
    """A new opioid since the last visit, or a listed one taken differently now: the journey's
    medicine questions, back to the doses page once saved."""
    follow_up = _session_follow_up(request)
    if follow_up is None:
        return _ended(request)
    check_in = check_ins.open_check_in(follow_up)
    if check_in is None:
        return _none_open(request)
    doses = reverse("checkin:step", args=["doses"])
    replacing = None
    if medicine_id is not None:
        replacing = check_in.medicines.filter(pk=medicine_id).first()
        if replacing is None:
            # Already changed (a second click) or removed: the doses page shows the list now.
            return redirect(doses)
    if request.method == "POST":
        # Every post answers with a redirect: a search or an error is shown by the GET after.
        form = MedicineForm(request.POST)
        if request.POST.get("action") == "find" or not form.is_complete():
            return remember(request)
        saved, added = form.save(check_in, replacing=replacing)
        if saved is None:
            return remember(request, errors=[str(e) for e in form.non_field_errors()])
        if added:
            messages.success(request, _("Medicine changed.") if replacing else _("Medicine added."))
        return redirect(doses)
    posted, extra = recall(request)
    if posted is not None:
        form = medicine_form_again(posted, extra, check_in, replacing)
    elif replacing:
        form = MedicineForm.to_change(replacing)
    else:
        form = MedicineForm(initial={"form_token": uuid.uuid4()})
    form.dress_fields()
    step = STEP_BY_SLUG["doses"]
    return render(
        request,
        "intake/checkin/medicine.html",
        _context(
            request,
            check_in,
            step,
            form=form,
            replacing=replacing,
            previous_step=step,
            page_title=_("Change a medicine") if replacing else _("Add a new medicine"),
            search_url=reverse("intake:medicine_search"),
        ),
    )


def _none_open(request):
    """A page of a check-in that was sent (a second tap on Send, Back after sending) or never
    started: only the start page's button begins one."""
    return redirect("checkin:done" if request.session.get(SESSION_SENT) else "checkin:start")


def _context(request, check_in, step, form=None, **extra):
    index = STEPS.index(step)
    return {
        "check_in": check_in,
        "step": step,
        "form": form,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "previous_step": STEPS[index - 1] if index else None,
        "returning_to_check": request.GET.get("next") == "check",
        "safety_message": _(SAFETY_MESSAGE),
        **extra,
    }


def _first_unfinished(check_in):
    for step in STEPS[:-1]:
        if step.slug not in check_in.completed_steps:
            return step
    return STEPS[-1]


def check_and_send(request, check_in, step):
    missing = [s for s in STEPS[:-1] if s.slug not in check_in.completed_steps]
    if request.method == "POST":
        if missing:
            return redirect(clean_path(request))
        try:
            check_ins.submit_check_in(check_in, language=translation.get_language())
        except DocumentError as problem:
            return remember(request, submit_error=str(problem))
        request.session[SESSION_SENT] = check_in.pk
        return redirect("checkin:done")
    error = recall(request)[1].get("submit_error")
    return render(
        request,
        "intake/checkin/check.html",
        _context(
            request,
            check_in,
            step,
            missing_steps=missing,
            submit_error=error,
            rows=_answer_rows(check_in),
        ),
    )


def _answer_rows(check_in):
    medicines = list(check_in.medicines.all())
    symptoms = dict(forms.WithdrawalSymptom.choices)
    return [
        {"step": "pain", "label": _("Pain now"), "value": check_in.pain_score_now},
        # One row per question, in the patient's words, never the scale's initials.
        *(
            {"step": "peg", "label": label, "value": _out_of_10(score)}
            for label, score in (
                (_("Pain in the past week"), check_in.peg_pain),
                (_("How pain got in the way of enjoying life"), check_in.peg_enjoyment),
                (_("How pain got in the way of daily activities"), check_in.peg_activity),
            )
        ),
        {
            "step": "doses",
            "label": _("Opioid medicines"),
            "value": "; ".join(m.as_entered for m in medicines) or _("None now"),
        },
        {
            "step": "withdrawal",
            "label": _("In the past week"),
            "value": ", ".join(
                str(symptoms.get(s, s)) for s in check_in.withdrawal_symptoms_between_doses
            )
            or _("None of these"),
        },
        {
            "step": "anything-new",
            "label": _("Anything new"),
            "value": _anything_new(check_in),
        },
    ]


def _out_of_10(score):
    return "" if score is None else _("%(score)s out of 10") % {"score": score}


def _anything_new(check_in):
    """The patient's own answer: yes with what they told, or nothing new."""
    if not check_in.has_something_new:
        return _("Nothing new")
    regions = dict(BodyRegion.choices)
    places = forms.new_sites(check_in, check_ins.previous_visit(check_in.follow_up))
    told = [check_in.new_injury_details] if check_in.new_injury_details else []
    if places:
        told.append(
            _("New pain in: %(places)s")
            % {"places": ", ".join(str(regions[place]) for place in places)}
        )
    return "; ".join([str(_("Yes")), *told])


def done(request):
    # The follow-up's latest check-in, not only the one this session remembers sending: a
    # double tap on Send can leave the session as it was before the first tap sent it.
    follow_up = _session_follow_up(request)
    if follow_up is None:
        return _ended(request)
    sent = (
        follow_up.check_ins.filter(status=Intake.Status.SUBMITTED).order_by("-submitted_at").first()
    )
    if sent is None:
        return redirect("checkin:start")
    return render(
        request,
        "intake/checkin/done.html",
        {
            "check_in": sent,
            "next_due": follow_up.next_check_in_due(),
            "safety_message": _(SAFETY_MESSAGE),
        },
    )
