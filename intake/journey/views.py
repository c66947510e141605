"""The patient's intake journey. Views stay thin: forms validate, models and
`submission` hold the logic. A patient reaches only the intake held in their
own session, or one they resume with its code and date of birth or its link.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from education.models import SAFETY_MESSAGE, Article
from intake import medicines as medicines_catalogue
from intake import summary
from intake.journey import generic_names, medicine_form, steps
from intake.journey.forms import ConsentForm
from intake.journey.medicine_form import MedicineForm, not_an_opioid_message
from intake.journey.patient_emails import send_within_limits
from intake.journey.posted_state import clean_path, recall, remember
from intake.journey.resume_forms import ResumeForm
from intake.models import (
    START_RETRY_MINUTES,
    Intake,
    PatientEmail,
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
ALREADY_SENT = _(
    "We have sent this email already. Please look in your inbox and your spam folder, "
    "or try again tomorrow."
)
SESSION_START = "intake_start"
SESSION_SEEN_AT = "intake_seen_at"


def _posted(request):
    """What the page's form is bound to: the post, or on the GET that follows a post which
    stayed on its page, that post again (`posted_state`), so its errors show again.

    An empty POST (every box left clear) must still be validated, so never `POST or None`."""
    if request.method == "POST":
        return request.POST
    return recall(request)[0]


def _kept_errors(form, extra):
    """Errors a post found outside the form (a refused save, a code that matched nothing),
    shown again on the GET that follows it."""
    for message in extra.get("errors", []):
        if message not in form.non_field_errors():
            form.add_error(None, message)


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
    if intake is not None and intake.is_submitted:
        # Sent by a tap whose answer this browser never kept (a double tap on "Send": the
        # second request saved the session as it was before the first one sent the form).
        _release(request)
        request.session[SESSION_SUBMITTED] = intake.pk
        return None
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


def _resume_secrets(request):
    """The code (as shown, ABCDE-FGHJK) and the private link this browser was given, if any."""
    code = request.session.get(SESSION_CODE)
    link_token = request.session.get(SESSION_LINK)
    link = (
        request.build_absolute_uri(reverse("intake:resume_link", args=[link_token]))
        if link_token
        else None
    )
    return (f"{code[:5]}-{code[5:]}" if code else None), link


def _context(request, intake, step, **extra):
    resume_code, resume_link = _resume_secrets(request)
    return {
        "intake": intake,
        "step": step,
        "step_number": steps.number(step, intake),
        "step_count": steps.count(intake),
        "previous_step": steps.previous_step(step, intake),
        "resume_code": resume_code,
        "resume_link": resume_link,
        "safety_message": _(SAFETY_MESSAGE),
        "idle_seconds": _idle_seconds(),
        "returning_to_check": request.GET.get("next") == "check",
        **extra,
    }


def _after_save(request, intake, step):
    if request.POST.get("action") == "save_later":
        return redirect(f"{reverse('intake:save_later')}?from={step.slug}")
    if request.GET.get("next") == "check" or request.POST.get("next") == "check":
        # A changed answer can open a page that was skipped before (a dose that now
        # changed): the patient answers it before going back to the check page.
        unanswered = steps.first_unfinished(intake)
        if unanswered.slug == "check":
            return redirect("intake:step", slug="check")
        return redirect(f"{reverse('intake:step', args=[unanswered.slug])}?next=check")
    return redirect("intake:step", slug=steps.next_step(step, intake).slug)


def _no_intake(request):
    if request.session.get(SESSION_SUBMITTED):
        # A resubmitted or back-buttoned page after sending: the form is already in.
        return redirect("intake:done")
    messages.info(request, _("Your form was closed to keep it safe. Use your code to carry on."))
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


def _start_retry_key(old_session, token):
    return f"start-retry:{keyed_hash(f'{old_session}:{token}')}"


def _note_start(old_session, token, intake, code, link):
    """Starting gives the browser a new session key (against session fixation), so a second
    tap on Start that left with the old key finds no session. Noted for a few minutes under
    the old key and the form's token together, which only that browser holds."""
    if old_session and token:
        cache.set(
            _start_retry_key(old_session, token),
            {"intake": intake.pk, "code": code, "link": link},
            timeout=START_RETRY_MINUTES * 60,
        )


def _retried_start(request, token):
    """(intake, code, link) started by the first of a double tap from this browser, or None."""
    old_session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    noted = cache.get(_start_retry_key(old_session, token)) if old_session and token else None
    intake = Intake.objects.retried_start(token) if noted else None
    if intake is None or intake.pk != noted["intake"]:
        return None
    return intake, noted["code"], noted["link"]


def start(request):
    intake = _session_intake(request)
    pending = _pending_start(request) if intake is None else None
    form = ConsentForm(_posted(request), initial={"start_token": pending and pending["token"]})
    if request.method == "POST" and form.is_valid():
        if intake is None:
            posted = form.cleaned_data["start_token"]
            retried = _retried_start(request, posted)
            if retried is not None:
                intake, code, link = retried
            elif posted is not None and str(posted) == pending["token"]:
                intake, code, link = Intake.objects.start(
                    posted, settings.INTAKE_EXPIRY_DAYS, pending["code"], pending["link"]
                )
            else:  # no token, or one this browser was never given
                intake, code, link = Intake.objects.start(None, settings.INTAKE_EXPIRY_DAYS)
            request.session.pop(SESSION_START, None)
            # Noted before the session key changes, so a second tap never finds the old
            # session gone and the note not yet written.
            _note_start(request.session.session_key, posted, intake, code, link)
            _hold(request, intake, code, link)
        return redirect("intake:step", slug=steps.first_unfinished(intake).slug)
    if request.method == "POST":
        return remember(request)
    return render(
        request,
        "intake/journey/start.html",
        {
            "form": form,
            "intake": intake,
            "expiry_days": settings.INTAKE_EXPIRY_DAYS,
            "minutes": steps.MINUTES_TO_COMPLETE,
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
    if not step.applies(intake):
        return redirect("intake:step", slug=steps.first_unfinished(intake).slug)
    form = step.form_class(_posted(request), instance=intake)
    if (
        request.method == "POST"
        and request.POST.get("action") == "save_later"
        and not form.is_valid()
    ):
        # Saving for later never fails on a half-answered page: its answers are not kept.
        return redirect(f"{reverse('intake:save_later')}?from={step.slug}&unsaved=1")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save(commit=False)
            intake.mark_step_done(step.slug)
            steps.clear_skipped(intake)
            intake.extend_expiry(settings.INTAKE_EXPIRY_DAYS)
            intake.save()
        return _after_save(request, intake, step)
    if request.method == "POST":
        return remember(request)
    return render(request, step.template_name, _context(request, intake, step, form=form))


def medicines(request, intake, step):
    """Add medicines one at a time; Continue moves on, saving a filled-in one first."""
    if request.method == "POST":
        return _post_medicine(request, intake, step)
    posted, extra = recall(request)
    form = (
        MedicineForm(initial={"form_token": uuid.uuid4()})
        if posted is None
        else medicine_form_again(posted, extra, intake)
    )
    form.dress_fields()
    return render(
        request,
        "intake/journey/step_medicines.html",
        _context(
            request,
            intake,
            step,
            form=form,
            medicines=list(intake.medicines.all()),
            search_url=reverse("intake:medicine_search"),
            removed_name=medicine_form.removed_medicine_name(request.session, intake),
        ),
    )


def medicine_form_again(posted, extra, intake, replacing=None):
    """The medicine form as a kept post left it: after a search, the product's questions or
    the names to choose from; after Add or Continue, its errors. Nothing is saved here."""
    form = MedicineForm(posted)
    if posted.get("action") == "find":
        if form.find():
            return form.details_form()
        return form
    if form.is_complete():
        # A complete medicine that was not saved: ask again whether it repeats one listed.
        form.repeats_a_listed_medicine(intake, replacing)
    _kept_errors(form, extra)
    return form


def _post_medicine(request, intake, step):
    action = request.POST.get("action")
    if action == "find":
        return remember(request)  # the GET that follows searches
    form = MedicineForm(request.POST)
    moving_on = action in ("continue", "save_later")
    if not moving_on or form.is_filled_in():
        # "add", or a filled-in medicine with Continue; any other post is taken as "add".
        if not form.is_complete():
            if action == "save_later":
                # As on the other pages: saving for later never fails on a half-answered form.
                return redirect(f"{reverse('intake:save_later')}?from={step.slug}&unsaved=1")
            return remember(request)
        medicine, added = form.save(intake)
        if medicine is None:
            return remember(request, errors=[str(e) for e in form.non_field_errors()])
        if not moving_on:
            if added:
                messages.success(request, _("Medicine added. Add another, or continue."))
            return redirect(clean_path(request))
    intake.mark_step_done(step.slug)
    intake.extend_expiry(settings.INTAKE_EXPIRY_DAYS)
    intake.save()
    return _after_save(request, intake, step)


def medicine_search(request):
    """The product list's matches for a few typed letters, for the search box's suggestions."""
    typed = " ".join(request.GET.get("q", "")[:100].split())
    found = medicines_catalogue.look_up(typed)
    results = []
    for product in found.products:
        result = {
            "id": product.id,
            "name": generic_names.product_name(product)[0],
            "generic": generic_names.shown(product.generic)[0],
        }
        # The strength typed with the name, when this product is sold in it: choosing the
        # product keeps it ("Norco 5-325" is Norco 5 mg/325 mg).
        strength = found.strength_text and medicines_catalogue.sold_strength(
            product, found.strength_text
        )
        if strength:
            result["strength"] = strength.label
        results.append(result)
    answer = {"results": results}
    if found.not_an_opioid is not None:
        answer["not_an_opioid"] = not_an_opioid_message(typed)
    return JsonResponse(answer)


@require_POST
def remove_medicine(request, medicine_id):
    intake = _session_intake(request)
    if intake is None:
        return _no_intake(request)
    if intake.is_submitted:
        return redirect("intake:done")
    if medicine_form.remove_keeping_undo(request.session, intake, medicine_id):
        messages.success(request, _("Medicine removed."))
    return redirect("intake:step", slug="medicines")


@require_POST
def undo_remove_medicine(request):
    """Put back the medicine just removed (a mistaken tap on Remove)."""
    intake = _session_intake(request)
    if intake is None:
        return _no_intake(request)
    if intake.is_submitted:
        return redirect("intake:done")
    if medicine_form.undo_remove(request.session, intake) is not None:
        messages.success(request, _("Medicine put back."))
    return redirect("intake:step", slug="medicines")


def check_answers(request, intake, step):
    if request.method == "POST":
        if steps.unfinished(intake):
            # Never an empty or half-answered form sent: the page says which pages are left.
            return remember(request, send_refused=True)
        try:
            submit_intake(intake.pk, language=translation.get_language())
        except DocumentError as problem:
            return remember(request, submit_error=str(problem))
        request.session[SESSION_SUBMITTED] = intake.pk
        request.session.pop(SESSION_INTAKE, None)
        return redirect("intake:done")
    kept = recall(request)[1]
    error = kept.get("submit_error")
    missing = steps.unfinished(intake)
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
            about_rows=_about_rows(intake),
            answer_sections=_answers_with_pages(intake),
            send_refused=bool(kept.get("send_refused") and missing),
        ),
    )


def _about_rows(intake):
    return [
        {"label": label, "value": value, "slug": "about-you", "skipped_because": ""}
        for label, value in summary.about_rows(intake)
    ]


def _answers_with_pages(intake):
    """The check page's answers, each row with the page that asks it (for its Change link)
    or, where that page did not apply, why it was skipped."""
    sections = []
    for section in summary.answer_sections(intake):
        rows = []
        for label, value in section["rows"]:
            step = steps.step_for_answer(section["slug"], _english(label))
            skipped = step is not None and not step.applies(intake)
            rows.append(
                {
                    "label": label,
                    "value": value,
                    "slug": step.slug if step else section["slug"],
                    "skipped_because": step.skipped_because if skipped else "",
                }
            )
        sections.append({"title": section["title"], "rows": rows})
    return sections


def _english(label):
    """A row's key: its English label, the same whatever language the page is shown in."""
    with translation.override("en"):
        return str(label)


def _sent_intake(request):
    """The intake this browser just sent, or None."""
    if request.session.get(SESSION_SUBMITTED) is None:
        _session_intake(request)  # a held form sent by a tap this browser never heard back from
    intake_id = request.session.get(SESSION_SUBMITTED)
    return Intake.objects.filter(pk=intake_id, status=Intake.Status.SUBMITTED).first()


def done(request):
    intake = _sent_intake(request)
    if intake is None:
        return redirect("intake:start")
    if request.method == "POST":
        if request.POST.get("action") == "email_confirmation" and intake.email:
            if _email_confirmation(request, intake):
                messages.success(request, _("We sent an email to say your form arrived."))
            else:
                messages.warning(request, ALREADY_SENT)
        return redirect("intake:done")
    articles = {
        a.slug: a.show_in()
        for a in Article.objects.published()
        .filter(slug__in=intake.recommended_articles)
        .for_lists()
    }
    return render(
        request,
        "intake/journey/done.html",
        {
            "intake": intake,
            "articles": [articles[s] for s in intake.recommended_articles if s in articles],
            "safety_message": _(SAFETY_MESSAGE),
        },
    )


def done_answers(request):
    """A copy of the answers just sent, to print or keep (never a flag or a score)."""
    intake = _sent_intake(request)
    if intake is None:
        return redirect("intake:start")
    return render(
        request,
        "intake/journey/done_answers.html",
        {
            "intake": intake,
            "about_rows": _about_rows(intake),
            "answer_sections": _answers_with_pages(intake),
            "medicines": list(intake.medicines.all()),
        },
    )


def _email_confirmation(request, intake):
    """Only that the form arrived, with its reference: an email is no place for answers.
    Returns whether it was sent (within the limits of `patient_emails`)."""
    return send_within_limits(
        request,
        intake,
        PatientEmail.Kind.CONFIRMATION,
        subject=_("Your pain clinic form arrived"),
        body=_(
            "Thank you. The pain clinic received your form.\n\n"
            "Your reference is %(reference)s.\n\n"
            "Your care team will read your answers before your visit. "
            "You do not need to do anything more.\n\n"
            "In an emergency, call 911."
        )
        % {"reference": intake.reference},
    )


def save_later(request):
    """Save and come back later: the code and the private link, and, when the patient asks,
    the link sent to the email address they gave."""
    intake = _session_intake(request)
    if intake is None:
        return _no_intake(request)
    if intake.is_submitted:
        return redirect("intake:done")
    resume_code, resume_link = _resume_secrets(request)
    if resume_code is None:
        # Carried on with a code or link, so this browser was never shown one: make new ones.
        code, link = intake.issue_resume_secrets()
        intake.save(update_fields=["resume_code_hash", "resume_link_hash"])
        _hold(request, intake, code, link)
        resume_code, resume_link = _resume_secrets(request)
    back_to = steps.STEP_BY_SLUG.get(request.GET.get("from", "")) or steps.first_unfinished(intake)
    if request.method == "POST" and request.POST.get("action") == "email_link" and intake.email:
        sent = send_within_limits(
            request,
            intake,
            PatientEmail.Kind.RESUME_LINK,
            subject=_("Your link to carry on with your pain clinic form"),
            body=_(
                "To carry on with your pain clinic form, open this link:\n\n%(link)s\n\n"
                "It works until %(date)s. Keep it private: anyone with the link can see "
                "your answers. If you did not ask for this email, you can ignore it."
            )
            % {
                "link": resume_link,
                "date": date_format(timezone.localdate(intake.expires_at), "DATE_FORMAT"),
            },
        )
        if sent:
            messages.success(request, _("We sent the link to %(email)s.") % {"email": intake.email})
        else:
            messages.warning(request, ALREADY_SENT)
    if request.method == "POST":
        return redirect(f"{reverse('intake:save_later')}?from={back_to.slug}")
    return render(
        request,
        "intake/journey/save_later.html",
        {
            "intake": intake,
            "resume_code": resume_code,
            "resume_link": resume_link,
            "back_to": back_to,
            "unsaved": request.GET.get("unsaved") == "1",
            "expiry_days": settings.INTAKE_EXPIRY_DAYS,
        },
    )


def resume(request):
    # Behind the load balancer every request comes from its address: count the client's.
    address = keyed_hash(client_address(request))
    too_many = ResumeAttempt.objects.is_over_limit(address)
    if request.method == "POST":
        return _post_resume(request, address, too_many)
    posted, extra = recall(request)
    if extra.get("already_sent"):
        return render(request, "intake/journey/already_sent.html")
    form = ResumeForm(posted)
    if posted is not None and form.is_valid():
        _kept_errors(form, extra)
    status = 429 if too_many else 200
    return render(
        request, "intake/journey/resume.html", {"form": form, "too_many": too_many}, status=status
    )


def _post_resume(request, address, too_many):
    form = ResumeForm(request.POST)
    if too_many or not form.is_valid():
        return remember(request)
    if form.already_sent():
        return remember(request, already_sent=True)
    intake = form.matching_intake()
    if intake is not None:
        _hold(request, intake)
        return redirect("intake:step", slug=steps.first_unfinished(intake).slug)
    ResumeAttempt.objects.create(address_hash=address)
    return remember(request, errors=[str(e) for e in form.non_field_errors()])


def resume_link(request, token):
    intake = Intake.objects.filter(
        resume_link_hash=keyed_hash(token),
        status=Intake.Status.IN_PROGRESS,
        expires_at__gt=timezone.now(),
    ).first()
    if intake is None:
        sent = Intake.objects.filter(
            resume_link_hash=keyed_hash(token), status=Intake.Status.SUBMITTED
        ).exists()
        if sent:
            return render(request, "intake/journey/already_sent.html")
        messages.info(request, _("That link has ended. Use your code and date of birth instead."))
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
