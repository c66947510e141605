"""The patient's intake journey. Views stay thin: forms validate, models and
`submission` hold the logic. A patient reaches only the intake held in their
own session, or one they resume with its code and date of birth or its link.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from education.models import SAFETY_MESSAGE, Article
from intake import summary
from intake.journey import steps
from intake.journey.forms import ConsentForm
from intake.journey.medicine_form import MedicineForm
from intake.journey.resume_forms import ResumeForm
from intake.models import (
    Intake,
    ResumeAttempt,
    keyed_hash,
    new_resume_code,
    new_resume_link_token,
)
from intake.screening import DocumentError
from intake.submission import submit_intake
from oih_site.client_address import client_address

SESSION_INTAKE = "intake_id"
SESSION_CODE = "intake_resume_code"
SESSION_LINK = "intake_resume_link"
SESSION_SUBMITTED = "submitted_intake_id"
SESSION_START = "intake_start"
SESSION_SEEN_AT = "intake_seen_at"


def _posted(request):
    # An empty POST (every box left clear) must still be validated, so never `POST or None`.
    return request.POST if request.method == "POST" else None


def _idle_seconds():
    return settings.INTAKE_IDLE_MINUTES * 60


def _session_intake(request):
    """The in-progress intake this browser is filling in, or None."""
    intake_id = request.session.get(SESSION_INTAKE)
    if intake_id is None:
        return None
    now = timezone.now().timestamp()
    # Timed by the patient's own pages: staff pages in the same browser keep the session
    # alive, but must not stretch the patient's hold on the form.
    # (A hold from before this timing was kept counts from now.)
    if now - request.session.get(SESSION_SEEN_AT, now) > _idle_seconds():
        _release(request)
        return None
    intake = Intake.objects.filter(pk=intake_id).first()
    if intake is None or (intake.expires_at and intake.expires_at < timezone.now()):
        _release(request)
        return None
    request.session[SESSION_SEEN_AT] = now
    request.session.set_expiry(_idle_seconds())
    return intake


def _release(request):
    for key in (SESSION_INTAKE, SESSION_SEEN_AT, SESSION_CODE, SESSION_LINK):
        request.session.pop(key, None)


def _hold(request, intake, code=None, link=None):
    request.session.cycle_key()
    request.session[SESSION_INTAKE] = intake.pk
    request.session[SESSION_SEEN_AT] = timezone.now().timestamp()
    request.session.set_expiry(_idle_seconds())
    if code:
        request.session[SESSION_CODE] = code
        request.session[SESSION_LINK] = link


def _context(request, intake, step, **extra):
    code = request.session.get(SESSION_CODE)
    link_token = request.session.get(SESSION_LINK)
    return {
        "intake": intake,
        "step": step,
        "step_number": steps.number(step),
        "step_count": len(steps.STEPS),
        "previous_step": steps.previous_step(step),
        "resume_code": f"{code[:5]}-{code[5:]}" if code else None,
        "resume_link": request.build_absolute_uri(reverse("intake:resume_link", args=[link_token]))
        if link_token
        else None,
        "safety_message": SAFETY_MESSAGE,
        "idle_seconds": _idle_seconds(),
        "returning_to_check": request.GET.get("next") == "check",
        **extra,
    }


def _after_save(request, step):
    if request.GET.get("next") == "check" or request.POST.get("next") == "check":
        return redirect("intake:step", slug="check")
    return redirect("intake:step", slug=steps.next_step(step).slug)


def _no_intake(request):
    if request.session.get(SESSION_SUBMITTED):
        # A resubmitted or back-buttoned page after sending: the form is already in.
        return redirect("intake:done")
    messages.info(request, "Your form was closed to keep it safe. Use your code to carry on.")
    return redirect("intake:resume")


def _pending_start(request):
    """The start form's token, and the code and link it will get, kept in this session.

    Made when the form is shown, so a double-clicked or retried Start stores and shows the
    same code; kept in the session, so a token copied into another browser is no key.
    """
    pending = request.session.get(SESSION_START)
    if pending is None:
        pending = {
            "token": str(uuid.uuid4()),
            "code": new_resume_code(),
            "link": new_resume_link_token(),
        }
        request.session[SESSION_START] = pending
    return pending


def start(request):
    intake = _session_intake(request)
    pending = _pending_start(request) if intake is None else None
    form = ConsentForm(_posted(request), initial={"start_token": pending and pending["token"]})
    if request.method == "POST" and form.is_valid():
        if intake is None:
            posted = form.cleaned_data["start_token"]
            if posted is not None and str(posted) == pending["token"]:
                intake, code, link = Intake.objects.start(
                    posted, settings.INTAKE_EXPIRY_DAYS, pending["code"], pending["link"]
                )
            else:  # no token, or one this browser was never given
                intake, code, link = Intake.objects.start(None, settings.INTAKE_EXPIRY_DAYS)
            request.session.pop(SESSION_START, None)
            _hold(request, intake, code, link)
        return redirect("intake:step", slug=steps.first_unfinished(intake).slug)
    return render(
        request,
        "intake/journey/start.html",
        {
            "form": form,
            "intake": intake,
            "expiry_days": settings.INTAKE_EXPIRY_DAYS,
        },
    )


def step_view(request, slug):
    step = steps.STEP_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step.")
    intake = _session_intake(request)
    if intake is None:
        return _no_intake(request)
    if intake.is_submitted:
        return redirect("intake:done")
    if step.slug == "medicines":
        return medicines(request, intake, step)
    if step.slug == "check":
        return check_answers(request, intake, step)
    form = step.form_class(_posted(request), instance=intake)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save(commit=False)
            intake.mark_step_done(step.slug)
            intake.extend_expiry(settings.INTAKE_EXPIRY_DAYS)
            intake.save()
        return _after_save(request, step)
    return render(request, step.template_name, _context(request, intake, step, form=form))


def medicines(request, intake, step):
    form = MedicineForm(initial={"form_token": uuid.uuid4()})
    if request.method == "POST" and request.POST.get("action") == "continue":
        intake.mark_step_done(step.slug)
        intake.extend_expiry(settings.INTAKE_EXPIRY_DAYS)
        intake.save()
        return _after_save(request, step)
    if request.method == "POST":
        form = MedicineForm(request.POST)
        if form.is_valid():
            form.save(intake)
            messages.success(request, "Medicine added. Add another, or continue.")
            return redirect(request.get_full_path())
    return render(
        request,
        "intake/journey/step_medicines.html",
        _context(request, intake, step, form=form, medicines=list(intake.medicines.all())),
    )


@require_POST
def remove_medicine(request, medicine_id):
    intake = _session_intake(request)
    if intake is None:
        return _no_intake(request)
    if intake.is_submitted:
        return redirect("intake:done")
    removed, _ = intake.medicines.filter(pk=medicine_id).delete()
    if removed:
        messages.success(request, "Medicine removed.")
    return redirect("intake:step", slug="medicines")


def check_answers(request, intake, step):
    error = None
    if request.method == "POST":
        try:
            submit_intake(intake.pk)
        except DocumentError as problem:
            error = problem
        else:
            request.session[SESSION_SUBMITTED] = intake.pk
            request.session.pop(SESSION_INTAKE, None)
            return redirect("intake:done")
    missing = [s for s in steps.STEPS[:-1] if s.slug not in intake.completed_steps]
    return render(
        request,
        "intake/journey/step_check.html",
        _context(
            request,
            intake,
            step,
            medicines=list(intake.medicines.all()),
            missing_steps=missing,
            submit_error=error,
            about_rows=summary.about_rows(intake),
            answer_sections=summary.answer_sections(intake),
        ),
    )


def done(request):
    intake_id = request.session.get(SESSION_SUBMITTED)
    intake = Intake.objects.filter(pk=intake_id, status=Intake.Status.SUBMITTED).first()
    if intake is None:
        return redirect("intake:start")
    articles = {
        a.slug: a
        for a in Article.objects.published()
        .filter(slug__in=intake.recommended_articles)
        .only("title", "slug", "summary")
    }
    return render(
        request,
        "intake/journey/done.html",
        {
            "intake": intake,
            "articles": [articles[s] for s in intake.recommended_articles if s in articles],
            "safety_message": SAFETY_MESSAGE,
        },
    )


def resume(request):
    # Behind the load balancer every request comes from its address: count the client's.
    address = keyed_hash(client_address(request))
    too_many = ResumeAttempt.objects.is_over_limit(address)
    form = ResumeForm(_posted(request))
    if request.method == "POST" and not too_many and form.is_valid():
        intake = form.matching_intake()
        if intake is not None:
            _hold(request, intake)
            return redirect("intake:step", slug=steps.first_unfinished(intake).slug)
        ResumeAttempt.objects.create(address_hash=address)
    status = 429 if too_many else 200
    return render(
        request, "intake/journey/resume.html", {"form": form, "too_many": too_many}, status=status
    )


def resume_link(request, token):
    intake = Intake.objects.filter(
        resume_link_hash=keyed_hash(token),
        status=Intake.Status.IN_PROGRESS,
        expires_at__gt=timezone.now(),
    ).first()
    if intake is None:
        messages.info(request, "That link has ended. Use your code and date of birth instead.")
        return redirect("intake:resume")
    _hold(request, intake)
    return redirect("intake:step", slug=steps.first_unfinished(intake).slug)


@require_POST
def keepalive(request):
    """Called by the idle warning's "Stay" button: the session lives on."""
    intake = _session_intake(request)
    if intake is None:
        return JsonResponse({"active": False}, status=410)
    return JsonResponse({"active": True, "idle_seconds": _idle_seconds()})
