"""Getting the bench ready: manage.py in the server's environment, and the paths each scenario requests."""

import os
import subprocess
import sys
import urllib.parse
import urllib.request

from bench import environment

ROOT = environment.ROOT
SEARCH_TERMS = [
    "tolerance",
    "withdrawal symptoms",
    "opioid dose",
    "pain gets worse",
    "hyperalgesia treatment",
    "taper",
    "burning pain",
    "addiction or dependence",
]


def manage(env, *args, timeout=600):
    done = subprocess.run(
        [environment.PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


def fixtures(rng):
    """The paths each scenario requests, and the seeded patients who come back."""
    from django.db.models import Count

    from education.models import Article
    from intake.models import Intake, Patient

    slugs = list(Article.objects.published().values_list("slug", flat=True))
    if not slugs:
        raise SystemExit("No published articles: load_content did not run?")
    # The Spanish pages of the articles that have a published Spanish version (issue 14).
    slugs_es = list(
        Article.objects.published()
        .filter(live_spanish_revision__isnull=False)
        .values_list("slug", flat=True)
    )
    if not slugs_es:
        raise SystemExit("No article has a published Spanish version: load_content did not run?")
    seeded = Intake.objects.submitted().order_by("pk").values_list("pk", flat=True)
    first, last = seeded.first(), seeded.last()
    intake_ids = sorted(rng.sample(range(first, last + 1), 400))
    existing = set(
        Intake.objects.submitted().filter(pk__in=intake_ids).values_list("pk", flat=True)
    )
    intake_paths = [f"/admin/intake/intake/{pk}/change/" for pk in intake_ids if pk in existing]
    many = Patient.objects.annotate(n=Count("intakes")).filter(n=3).order_by("pk").first()
    busiest = (
        Intake.objects.submitted()
        .filter(patient=many)
        .annotate(m=Count("medicines"))
        .order_by("-submitted_at")
        .first()
    )
    single = (
        Intake.objects.submitted()
        .annotate(m=Count("medicines"), v=Count("patient__intakes"))
        .filter(m=1, v=1)
        .order_by("pk")
        .first()
    )
    flagged = (
        Intake.objects.submitted()
        .filter(screenings__is_current=True, screenings__level="flag")
        .order_by("pk")
        .first()
    )
    variants = [
        ("1 visit, 1 medicine", single),
        (f"3 visits, {busiest.m if busiest else '?'} medicines", busiest),
        ("a flag", flagged),
    ]
    returning = [
        {"full_name": name, "date_of_birth": born.isoformat()}
        for name, born in Patient.objects.exclude(full_name="")
        .filter(date_of_birth__isnull=False)
        .order_by("?")[:500]
        .values_list("full_name", "date_of_birth")
    ]
    queue = "/admin/intake/screening/"
    from intake.models import Screening

    # The worklist holds every screening that needs a clinician: flags, borderline results
    # and urgent or warning alerts (issue 10).
    middle_page = max(1, Screening.objects.needing_review().count() // 50 // 2)
    return {
        "article_paths": [f"/learn/{slug}/" for slug in slugs],
        "article_paths_es": [f"/es/learn/{slug}/" for slug in slugs_es],
        "index_paths": ["/learn/"],
        "search_paths": [
            "/learn/search/?" + urllib.parse.urlencode({"q": term}) for term in SEARCH_TERMS
        ],
        "queue_paths": [queue],
        "queue_variants": [
            queue,
            f"{queue}?p={middle_page}",
            f"{queue}?level=flag",
            f"{queue}?priority=0",
            f"{queue}?alert=mme_ge_90",
            f"{queue}?review=unreviewed",
        ],
        "intake_paths": intake_paths,
        "intake_page_variants": [
            (name, f"/admin/intake/intake/{intake.pk}/change/")
            for name, intake in variants
            if intake
        ],
        "returning": returning,
    }
