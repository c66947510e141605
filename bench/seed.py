"""The bench's data: 100,000 submitted intakes of 60,000 patients, kept across runs.

60,000 patients with 1-3 visits, exactly 300,000 medicine rows, each visit screened as a
submission is (the previous visit as the comparison), most older items reviewed. Random but
seeded, written with COPY in chunks of 2,000 patients, reused while its counts and recipe
match; what a run adds is removed at the start of the next. The screenings are results of
the 2026.1 rules from git history (`old_rules()`), so that `manage.py rescreen` finds a
release's real changes; without git history, the current rules labelled
FALLBACK_RULES_VERSION.
"""

import datetime
import importlib.util
import io
import os
import random
import subprocess
import sys
import tarfile
import time
import urllib.parse
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from bench import ROOT, WORK
from bench.patients import EMAIL_DOMAIN
from intake.screening.vocabulary import MISUSE_SIGNS, PAIN_QUALITIES, WITHDRAWAL_SYMPTOMS

SEED_RECIPE = "2026-12-v4"  # bump when the generator changes: the next run reseeds
SEED_RANDOM = 20261122
# BENCH_SEED_SCALE (default 1) shrinks the seed for a quick trial of the bench itself.
SCALE = float(os.environ.get("BENCH_SEED_SCALE") or 1)
# Patients by number of visits: 30,000 + 2 x 20,000 + 3 x 10,000 = 100,000 intakes.
VISIT_MIX = {1: round(30_000 * SCALE), 2: round(20_000 * SCALE), 3: round(10_000 * SCALE)}
PATIENTS = sum(VISIT_MIX.values())  # 60,000
MEDICINES = round(300_000 * SCALE)
CHUNK_PATIENTS = 2_000
# Only when the 2026.1 rules cannot be had from git: the current rules under an older label.
FALLBACK_RULES_VERSION = "2025.4"
DAYS_OF_HISTORY = 720
CLINICIANS = [f"bench-clinician-{n}" for n in range(1, 7)]

FIRST_NAMES = (  # noqa: SIM905 (a readable list of names)
    "Amara Ana Andrew Anh Bea Ben Carlos Chen Chloe Daniel Dara Deepa Elena Emeka Eva Farah "
    "Fatima George Grace Hana Hugo Ian Imani Isaac Jack Jamal Jana Joao Jose Julia Kai Karen "
    "Kofi Lars Laura Leila Liam Lina Luis Maya Mei Miguel Mohammed Nadia Noah Nora Olga Omar "
    "Paul Priya Rosa Ruth Sam Sara Sean Sofia Tariq Tom Uma Vera Wei Yara Yusuf Zoe"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Abbott Adeyemi Ahmed Alvarez Andersen Baker Banerjee Becker Bianchi Brown Campbell Chen "
    "Costa Cruz Das Diaz Dubois Edwards Evans Fischer Garcia Gonzalez Gupta Hall Hansen Harris "
    "Hughes Ito Jackson Johansson Jones Kaur Khan Kim Kowalski Kumar Lee Lopez Martin Meyer "
    "Miller Moreau Murphy Nakamura Nguyen Novak Okafor Olsen Patel Perez Petrov Quinn Reyes "
    "Rossi Santos Schmidt Silva Singh Smith Suzuki Taylor Thompson Torres Walker Wang Williams "
    "Wilson Wright Yilmaz Young Zhang"
).split()
# name, weight, formulations, strengths (mg, or mcg/hr for patches), doses a day, brands
IR, ER, PATCH = "immediate_release", "extended_release", "transdermal_patch"
OXYCODONE_BRANDS = ("OxyContin", "Percocet", "Roxicodone")
BUPRENORPHINE_BRANDS = ("Suboxone", "Butrans", "Belbuca")
DRUGS = [
    ("oxycodone", 22, (IR, ER), (5, 10, 15, 20, 30), (2, 3, 4), OXYCODONE_BRANDS),
    ("hydrocodone", 18, (IR, ER), (5, 7.5, 10), (3, 4, 6), ("Norco", "Vicodin", "Hysingla ER")),
    ("morphine", 12, (IR, ER), (15, 30, 60), (2, 3), ("MS Contin",)),
    ("tramadol", 12, (IR,), (50, 100), (2, 3, 4), ("Ultram",)),
    ("codeine", 5, (IR,), (30, 60), (3, 4), ("Tylenol with Codeine",)),
    ("tapentadol", 5, (IR, ER), (50, 100), (2, 3), ("Nucynta",)),
    ("hydromorphone", 6, (IR,), (2, 4, 8), (3, 4), ("Dilaudid",)),
    ("oxymorphone", 2, (IR, ER), (5, 10), (2,), ("Opana",)),
    ("methadone", 5, (IR,), (5, 10, 20), (1, 2, 3), ("Dolophine", "Methadose")),
    ("fentanyl", 6, (PATCH,), (12, 25, 50, 75, 100), None, ("Duragesic",)),
    ("buprenorphine", 5, ("sublingual", PATCH), (2, 4, 8), (1, 2), BUPRENORPHINE_BRANDS),
    ("other", 2, ("other", IR), (10, 20), (2,), ()),
]
DRUG_WEIGHTS = [drug[1] for drug in DRUGS]
MEDICINE_COUNT_WEIGHTS = {1: 14, 2: 24, 3: 27, 4: 20, 5: 15}
REGION_GROUPS = [
    ("lower_back", "buttocks", "left_thigh", "right_thigh", "pelvis_groin"),
    ("neck", "upper_back", "left_shoulder", "right_shoulder", "head"),
    ("left_knee", "right_knee", "left_lower_leg", "right_lower_leg", "left_foot", "right_foot"),
    ("left_hip", "right_hip", "lower_back", "left_thigh"),
    ("abdomen", "pelvis_groin", "lower_back"),
    ("left_hand", "right_hand", "left_forearm", "right_forearm", "left_upper_arm", "neck"),
    ("head", "face", "neck"),
]
STEP_SLUGS = "about-you medicines opioid-use dose-changes pain-map pain-details".split()  # noqa: SIM905
STEP_SLUGS.append("other-questions")
INJURY_NOTES = ["Fell on the stairs in the spring and hurt my knee.", "Back surgery last year."]
INJURY_NOTES += [
    "My arthritis has got worse in my hands.",
    "Car accident, whiplash.",
    "Hip replacement.",
]


class Generator:
    """Random but seeded patients and visits, as plain field values for the models."""

    def __init__(self, seed=SEED_RANDOM):
        self.rng = random.Random(seed)
        self.references = set()

    def pick(self, weights):
        options = list(weights)
        return self.rng.choices(options, weights=[weights[o] for o in options])[0]

    def reference(self):
        alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
        while True:
            ref = "OIH-" + "".join(self.rng.choices(alphabet, k=8))
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def secret_hash(self):
        return f"{self.rng.getrandbits(256):064x}"

    def patient(self, number):
        rng = self.rng
        imported_only = rng.random() < 0.12
        has_reference = imported_only or rng.random() < 0.55
        if imported_only:
            return {
                "full_name": "",
                "date_of_birth": None,
                "clinic_reference": f"MRN-{1_000_000 + number}",
            }
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        born = datetime.date(rng.randint(1938, 2002), rng.randint(1, 12), rng.randint(1, 28))
        reference = f"MRN-{1_000_000 + number}" if has_reference else ""
        return {"full_name": name, "date_of_birth": born, "clinic_reference": reference}

    def medicine_rows(self, count):
        rng = self.rng
        rows = []
        for position in range(count):
            name, _, forms, strengths, times, brands = rng.choices(DRUGS, DRUG_WEIGHTS)[0]
            formulation = rng.choice(forms)
            strength = Decimal(str(rng.choice(strengths)))
            chosen_as = rng.choice(brands) if brands and rng.random() < 0.35 else ""
            for_oud = name in ("buprenorphine", "methadone") and rng.random() < 0.6
            purpose = "oud_treatment" if for_oud else "pain"
            if formulation == "transdermal_patch":
                unit, per_day, daily = "mcg/hr", None, strength
            else:
                unit = "mg/day"
                per_day = Decimal(rng.choice(times or (1,)))
                daily = strength * per_day
            rows.append(
                {
                    "name": name,
                    "chosen_as": chosen_as,
                    "other_name": "Pethidine" if name == "other" else "",
                    "formulation": formulation,
                    "unit": unit,
                    "strength": strength,
                    "times_per_day": per_day,
                    "daily_dose": daily.quantize(Decimal("0.01")),
                    "purpose": purpose,
                    "position": position,
                }
            )
        return rows

    def answers(self, previous=None):
        """One visit's answers; a later visit keeps much of the previous one."""
        rng = self.rng
        taking = rng.random() < 0.86
        months_on = Decimal(rng.choice([rng.randint(1, 11), rng.randint(12, 180)]))
        if previous is not None and previous["months_on_opioids"] is not None:
            months_on = previous["months_on_opioids"] + rng.randint(2, 5)
        changes = {"increased": 30, "decreased": 18, "stable": 34, "started": 4, "stopped": 6}
        dose_change = self.pick({**changes, "unknown": 8})
        if not taking:
            dose_change = rng.choice(["stopped", "decreased", "unknown"])
        weeks = None if rng.random() < 0.3 else Decimal(rng.randint(1, 26))
        responses = {"better": 14, "worse": 26, "unchanged": 10, "not_tried": 50}
        between = self.pick({"worse": 30, "no_change": 45, "not_applicable": 25})
        withdrawal = []
        if between == "worse" and rng.random() < 0.5:
            withdrawal = rng.sample(WITHDRAWAL_SYMPTOMS, rng.randint(1, 4))
        group = rng.choice(REGION_GROUPS)
        if previous is not None and previous["original_pain_sites"]:
            original = list(previous["original_pain_sites"])
        else:
            original = rng.sample(group, rng.randint(1, 2))
        more = rng.sample(group, rng.randint(1, 3)) if rng.random() < 0.45 else []
        current = list(dict.fromkeys(original + more))
        if previous is not None and rng.random() < 0.3:
            current = list(dict.fromkeys(previous["current_pain_sites"] + [rng.choice(group)]))
        start_score = rng.randint(3, 9)
        now_score = max(0, min(10, start_score + rng.randint(-3, 3)))
        qualities = rng.sample(PAIN_QUALITIES, self.pick({0: 45, 1: 30, 2: 18, 3: 7}))
        injury = rng.random() < 0.15
        misuse = rng.sample(MISUSE_SIGNS, rng.randint(1, 2)) if rng.random() < 0.12 else []
        return {
            "currently_taking_opioids": taking,
            "months_on_opioids": months_on,
            "months_since_stopped": None if taking else Decimal(rng.randint(0, 18)),
            "dose_change_last_6_months": dose_change,
            "weeks_since_last_dose_change": weeks,
            "pain_when_dose_increased": self.pick(responses),
            "pain_when_dose_decreased": self.pick(responses),
            "pain_between_doses_or_missed_dose": between,
            "withdrawal_symptoms_between_doses": withdrawal,
            "original_pain_sites": original,
            "current_pain_sites": current,
            "pain_score_now": now_score,
            "pain_score_at_start": start_score,
            "peg_pain": max(0, min(10, now_score + rng.randint(-1, 1))),
            "peg_enjoyment": rng.randint(2, 10),
            "peg_activity": rng.randint(2, 10),
            "new_pain_qualities": qualities,
            "new_injury_or_disease_progression": injury,
            "new_injury_details": rng.choice(INJURY_NOTES) if injury and rng.random() < 0.7 else "",
            "signs_of_misuse": misuse,
            "known_opioid_use_disorder": self.pick({False: 80, None: 14, True: 6}),
        }


def document_for(intake, medicines):
    """`intake.as_document()` for an intake whose medicines are in memory, not yet stored."""
    from intake.models import IntakeMedicine

    cached = IntakeMedicine.objects.none()
    cached._result_cache = list(medicines)
    cached._prefetch_done = True
    intake._prefetched_objects_cache = {"medicines": cached}
    return intake.as_document()


def sample_documents(count, seed=SEED_RANDOM + 1):
    """(document, previous document or None) pairs for the pure screening benchmark."""
    from intake.models import Intake, IntakeMedicine

    gen = Generator(seed)
    pairs = []
    previous = None
    for number in range(count):
        answers = gen.answers(previous if previous and gen.rng.random() < 0.4 else None)
        intake = Intake(pk=number + 1, reference=f"OIH-DOC{number:05d}", **answers)
        medicines = [
            IntakeMedicine(**row) for row in gen.medicine_rows(gen.pick(MEDICINE_COUNT_WEIGHTS))
        ]
        document = document_for(intake, medicines)
        pairs.append((document, previous["document"] if previous and number % 3 == 0 else None))
        previous = {**answers, "document": document}
    return pairs


# Seeding ---------------------------------------------------------------------------------


class Copier:
    """Rows straight into PostgreSQL with COPY, primary keys handed out here: model instances
    are built as usual (so defaults apply), their column values streamed. save() and
    bulk_create run at a few thousand rows a second here, COPY at 100,000s."""

    def __init__(self):
        self.next_id = {}

    def save(self, model, objects):
        start = self.next_id.get(model, 1)
        for offset, obj in enumerate(objects):
            obj.pk = start + offset
        self.next_id[model] = start + len(objects)
        from django.db.models import JSONField
        from psycopg.types.json import Jsonb

        # The database derives generated columns (Screening.level_rank) itself.
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        json_columns = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        connection.ensure_connection()
        with connection.cursor() as cursor:
            sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for obj in objects:
                    row = [getattr(obj, f.attname) for f in fields]
                    for i in json_columns:
                        row[i] = Jsonb(row[i])
                    copy.write_row(row)

    def finish(self):
        with connection.cursor() as cursor:
            for model, next_id in self.next_id.items():
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [model._meta.db_table, max(next_id - 1, 1)],
                )


def _plan(gen):
    """Visits per patient and medicines per intake, fixed up front so the totals are exact."""
    visits = [count for count, patients in VISIT_MIX.items() for _ in range(patients)]
    gen.rng.shuffle(visits)
    intakes = sum(visits)
    medicines = [gen.pick(MEDICINE_COUNT_WEIGHTS) for _ in range(intakes)]
    difference = MEDICINES - sum(medicines)
    while difference:
        index = gen.rng.randrange(intakes)
        step = 1 if difference > 0 else -1
        if 1 <= medicines[index] + step <= 5:
            medicines[index] += step
            difference -= step
    return visits, iter(medicines)


def clinicians():
    """The six clinicians who reviewed the seed's flags (and start the bench's follow-ups)."""
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import CLINICIANS as GROUP

    group = Group.objects.filter(name=GROUP).first()
    users = []
    for username in CLINICIANS:
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_unusable_password()
            user.save()
            if group:
                user.groups.add(group)
        users.append(user)
    return users


def seed(out=print):
    """Write the seed, chunk by chunk, visit by visit; its seconds."""
    from intake.models import Intake, IntakeMedicine, Patient, Review, Screening, name_key
    from intake.submission import replace_current_screenings

    screen, rules_version, _ = seed_rules()
    started, now = time.monotonic(), timezone.now()
    gen, copier, reviewers = Generator(), Copier(), clinicians()
    visit_plan, medicine_counts = _plan(gen)
    decisions = {"accept": 42, "override": 43, "follow_up": 15}
    reasons = {"tolerance": 35, "withdrawal": 20, "disease_progression": 20, "new_injury": 10}
    reasons |= {"opioid_use_disorder": 8, "data_error": 4, "other": 3}
    for chunk_start in range(0, PATIENTS, CHUNK_PATIENTS):
        with transaction.atomic():
            people = []
            for number in range(chunk_start, min(PATIENTS, chunk_start + CHUNK_PATIENTS)):
                identity, count = gen.patient(number), visit_plan[number]
                # Visits 2-4 months apart, the last one by now.
                days = gen.rng.uniform(120 * (count - 1), DAYS_OF_HISTORY)
                first = now - datetime.timedelta(days=days, minutes=gen.rng.randint(0, 600))
                patient = Patient(
                    name_key=name_key(identity["full_name"]), created_at=first, **identity
                )
                people.append({"patient": patient, "visits": count, "first": first, "history": []})
            copier.save(Patient, [person["patient"] for person in people])
            for visit in range(3):
                due = [person for person in people if person["visits"] > visit]
                intakes = [visit_intake(gen, now, visit, person) for person in due]
                copier.save(Intake, intakes)
                pairs, medicines = [], []
                for person, intake in zip(due, intakes, strict=True):
                    count = next(medicine_counts)
                    rows = [
                        IntakeMedicine(intake=intake, **row) for row in gen.medicine_rows(count)
                    ]
                    medicines += rows
                    history = person["history"]
                    history[-1]["document"] = document_for(intake, rows)
                    previous = history[-2]["document"] if len(history) > 1 else None
                    result = screen(history[-1]["document"], previous=previous)
                    pairs.append((intake, {**result, "rules_version": rules_version}))
                copier.save(IntakeMedicine, medicines)
                # The same screenings as a submission stores (a repeat of reviewed evidence
                # included), most older ones needing a clinician reviewed.
                screenings = replace_current_screenings(pairs, cause=Screening.Cause.SUBMISSION)
                reviewed = []
                for screening in screenings:
                    screening.created_at = screening.intake_submitted_at
                    old = now - screening.intake_submitted_at > datetime.timedelta(days=10)
                    wanted = screening.evidence_key and not screening.is_repeat_of_reviewed
                    if wanted and old and gen.rng.random() < 0.92:
                        screening.is_reviewed = True
                        reviewed.append(screening)
                copier.save(Screening, screenings)
                reviews = []
                for screening in reviewed:
                    decision = gen.pick(decisions)
                    reviews.append(
                        Review(
                            screening=screening,
                            decision=decision,
                            override_reason=gen.pick(reasons) if decision == "override" else "",
                            note="Discussed at clinic." if gen.rng.random() < 0.3 else "",
                            reviewed_by=gen.rng.choice(reviewers),
                            reviewed_at=screening.intake_submitted_at
                            + datetime.timedelta(days=gen.rng.uniform(0.5, 9)),
                        )
                    )
                copier.save(Review, reviews)
        if (chunk_start // CHUNK_PATIENTS) % 5 == 4:
            out(
                f"  seeded {chunk_start + CHUNK_PATIENTS:,} patients ({time.monotonic() - started:.0f} s)"
            )
    copier.finish()
    return time.monotonic() - started


def visit_intake(gen, now, visit, person):
    """A patient's visit as a submitted intake (web, or imported without a name)."""
    from intake.models import Intake
    from intake.recommendations import recommended_article_slugs

    patient, history = person["patient"], person["history"]
    previous = history[-1] if history else None
    answers = gen.answers(previous["answers"] if previous else None)
    submitted = person["first"] + datetime.timedelta(days=visit * gen.rng.uniform(60, 120))
    submitted = min(submitted, now - datetime.timedelta(minutes=5))
    imported = not patient.full_name or gen.rng.random() < 0.08
    minutes = datetime.timedelta(minutes=gen.rng.randint(6, 40))
    no_email = imported or gen.rng.random() < 0.4
    intake = Intake(
        reference=gen.reference(),
        status=Intake.Status.SUBMITTED,
        source=Intake.Source.IMPORT if imported else Intake.Source.WEB,
        patient=patient,
        previous_intake=previous["intake"] if previous else None,
        started_at=submitted - minutes,
        updated_at=submitted,
        submitted_at=submitted,
        consent_given_at=None if imported else submitted - minutes,
        completed_steps=[] if imported else list(STEP_SLUGS),
        resume_code_hash=gen.secret_hash(),
        resume_link_hash=gen.secret_hash(),
        full_name="" if imported else patient.full_name,
        date_of_birth=None if imported else patient.date_of_birth,
        email="" if no_email else f"patient{patient.pk}@example.org",
        phone="" if gen.rng.random() < 0.5 else f"07700 9{patient.pk:05d}"[:13],
        clinic_reference=patient.clinic_reference,
        **answers,
    )
    intake.recommended_articles = recommended_article_slugs(intake)
    history.append({"intake": intake, "answers": answers})
    return intake


OLD_RULES_COMMIT = "6473de3"  # parent of 9152134 "Rules 2026.2": intake/screening at 2026.1
OLD_RULES_PACKAGE = "bench_rules_2026_1"


def old_rules():
    """The 2026.1 screening package from git history, or None and why.

    `git archive` of `intake/screening/` at OLD_RULES_COMMIT into bench/.work/, imported under
    its own package name beside the current rules (pure Python, relative imports only); no
    copy is committed."""
    if OLD_RULES_PACKAGE in sys.modules:
        return sys.modules[OLD_RULES_PACKAGE], None
    target = WORK / "old_rules" / OLD_RULES_PACKAGE
    command = ["git", "archive", "--format=tar", OLD_RULES_COMMIT, "intake/screening"]
    try:
        archive = subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"git history unavailable ({type(error).__name__})"
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("intake/screening/")
            if member.isfile() and name.endswith(".py") and "/" not in name:
                (target / name).write_bytes(tar.extractfile(member).read())
    spec = importlib.util.spec_from_file_location(
        OLD_RULES_PACKAGE, target / "__init__.py", submodule_search_locations=[str(target)]
    )
    module = sys.modules[OLD_RULES_PACKAGE] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if module.RULES_VERSION != "2026.1":
        del sys.modules[OLD_RULES_PACKAGE]
        return None, f"{OLD_RULES_COMMIT} holds rules {module.RULES_VERSION}, not 2026.1"
    return module, None


def seed_rules():
    """(screen, rules version, in words) for the seed: 2026.1 from git, else the current."""
    package, why = old_rules()
    if package is not None:
        source = f"rules {package.RULES_VERSION} from git {OLD_RULES_COMMIT}"
        return package.screen, package.RULES_VERSION, source
    from intake.screening import screen

    return screen, FALLBACK_RULES_VERSION, f"current rules labelled {FALLBACK_RULES_VERSION}: {why}"


# Keeping one seed across runs ------------------------------------------------------------

META_TABLE = "bench_seed"


def sql(*statements, params=None):
    """Run statements in one transaction; the last one's rows, if it returns any."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def _counts():
    from intake.models import Intake, IntakeMedicine, Patient

    return {
        "patients": Patient.objects.count(),
        "intakes": Intake.objects.count(),
        "medicines": IntakeMedicine.objects.count(),
    }


def _recipe(source):
    # The rules are part of the recipe: a fallback seed is rebuilt once git history is there.
    rules = "git" if source.startswith("rules") else "fallback"
    intakes = sum(c * n for c, n in VISIT_MIX.items())
    return f"{SEED_RECIPE}:{rules}:{PATIENTS}:{intakes}:{MEDICINES}"


def cleanup(out=print):
    """Undo what the previous run's load left: journeys, check-ins, follow-ups, sessions,
    access logs, rescreens."""
    sql(
        # The load's intakes (and unfinished ones: every seeded intake is submitted), and the
        # check-ins of the bench's follow-ups (the seed has none).
        "CREATE TEMP TABLE bench_doomed AS SELECT id FROM intake_intake "
        f"WHERE email LIKE '%%@{EMAIL_DOMAIN}' OR status = 'in_progress' OR kind = 'check_in'",
        "DELETE FROM intake_review WHERE screening_id IN "
        "(SELECT id FROM intake_screening WHERE intake_id IN (SELECT id FROM bench_doomed))",
        "DELETE FROM intake_screening WHERE intake_id IN (SELECT id FROM bench_doomed)",
        "DELETE FROM intake_intakemedicine WHERE intake_id IN (SELECT id FROM bench_doomed)",
        "DELETE FROM intake_accesslog",
        "UPDATE intake_intake SET previous_intake_id = NULL "
        "WHERE previous_intake_id IN (SELECT id FROM bench_doomed)",
        "DELETE FROM intake_intake WHERE id IN (SELECT id FROM bench_doomed)",
        "DROP TABLE bench_doomed",
        "DELETE FROM intake_followup",
        "DELETE FROM intake_patient p WHERE NOT EXISTS "
        "(SELECT 1 FROM intake_intake i WHERE i.patient_id = p.id)",
        "DELETE FROM intake_resumeattempt",
        "DELETE FROM django_session",
    )
    reset_rescreens(out)


def reset_rescreens(out=print):
    """Put the seeded screenings back as they were before `rescreen --apply`, and rewrite
    the table, which the rescreen's rows would otherwise leave twice as large for every later
    run."""
    rescreened = "FROM intake_screening WHERE cause = 'rescreen'"
    removed = sql(f"SELECT count(*) {rescreened}")[0][0]
    sql(
        f"DELETE FROM intake_review WHERE screening_id IN (SELECT id {rescreened})",
        f"DELETE {rescreened}",
        "UPDATE intake_screening SET is_current = true WHERE NOT is_current "
        "AND cause = 'submission'",
        "DELETE FROM intake_rescreen",
    )
    if removed:
        out(f"  put back {removed:,} screenings from a rescreen --apply")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL ANALYZE intake_screening")


def ensure_seeded(out=print):
    """Seed unless the database already holds this recipe's data; what was done."""
    intakes = sum(c * n for c, n in VISIT_MIX.items())
    expected = {"patients": PATIENTS, "intakes": intakes, "medicines": MEDICINES}
    _, _, source = seed_rules()
    sql(
        f"CREATE TABLE IF NOT EXISTS {META_TABLE} (recipe text, seeded_at timestamptz, "
        "seconds double precision)"
    )
    cleanup(out)
    counts = _counts()
    stored = sql(f"SELECT recipe FROM {META_TABLE} ORDER BY seeded_at DESC LIMIT 1")
    if stored and stored[0][0] == _recipe(source) and counts == expected:
        out(f"  reusing the seed: {counts}")
        return {"seeded": False, "counts": counts, "screened_with": source}
    out(f"  seeding {expected} (found {counts}), screened with {source}")
    tables = ["intake_followup", "intake_review", "intake_screening", "intake_accesslog"]
    tables += ["intake_intakemedicine", "intake_intake", "intake_patient", "intake_rescreen"]
    sql(f"TRUNCATE {', '.join(tables)}, intake_resumeattempt RESTART IDENTITY CASCADE")
    sql(f"DELETE FROM {META_TABLE}")
    seconds = seed(out)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
    insert = f"INSERT INTO {META_TABLE} (recipe, seeded_at, seconds) VALUES (%s, now(), %s)"
    sql(insert, params=[_recipe(source), seconds])
    if (counts := _counts()) != expected:
        raise RuntimeError(f"Seed produced {counts}, expected {expected}")
    out(f"  seeded in {seconds:.0f} s")
    return {"seeded": True, "seconds": round(seconds, 1), "counts": counts, "screened_with": source}


# What the scenarios request --------------------------------------------------------------

SEARCH_TERMS = ["tolerance", "withdrawal symptoms", "opioid dose", "pain gets worse"]
SEARCH_TERMS += ["hyperalgesia treatment", "taper", "burning pain", "addiction or dependence"]


def paths(rng):
    """The paths each scenario requests, and the seeded patients who come back."""
    from django.db.models import Count

    from education.models import Article
    from intake.models import Intake, Patient, Screening

    published = Article.objects.published()
    slugs = list(published.values_list("slug", flat=True))
    spanish = published.filter(live_spanish_revision__isnull=False)
    slugs_es = list(spanish.values_list("slug", flat=True))
    if not (slugs and slugs_es):
        raise SystemExit("No published articles in both languages: load_content did not run?")
    submitted = Intake.objects.submitted()
    seeded = submitted.order_by("pk").values_list("pk", flat=True)
    sample = rng.sample(range(seeded.first(), seeded.last() + 1), 400)
    intake_ids = sorted(submitted.filter(pk__in=sample).values_list("pk", flat=True))
    many = Patient.objects.annotate(n=Count("intakes")).filter(n=3).order_by("pk").first()
    busiest = (
        submitted.filter(patient=many).annotate(m=Count("medicines")).order_by("-submitted_at")
    ).first()
    single = submitted.annotate(m=Count("medicines"), v=Count("patient__intakes"))
    single = single.filter(m=1, v=1).order_by("pk").first()
    flagged = submitted.filter(screenings__is_current=True, screenings__level="flag")
    variants = [
        ("1 visit, 1 medicine", single),
        (f"3 visits, {busiest.m if busiest else '?'} medicines", busiest),
        ("a flag", flagged.order_by("pk").first()),
    ]
    people = Patient.objects.exclude(full_name="").filter(date_of_birth__isnull=False)
    returning = people.order_by("?")[:500].values_list("full_name", "date_of_birth")
    queue = "/admin/intake/screening/"
    # The worklist holds every screening that needs a clinician: flags, borderline results
    # and urgent or warning alerts.
    middle_page = max(1, Screening.objects.needing_review().count() // 50 // 2)
    return {
        "article_paths": [f"/learn/{slug}/" for slug in slugs],
        "article_paths_es": [f"/es/learn/{slug}/" for slug in slugs_es],
        "search_paths": [
            "/learn/search/?" + urllib.parse.urlencode({"q": term}) for term in SEARCH_TERMS
        ],
        "queue_variants": [queue, f"{queue}?p={middle_page}", f"{queue}?level=flag"]
        + [f"{queue}?priority=0", f"{queue}?alert=mme_ge_90", f"{queue}?review=unreviewed"],
        "intake_paths": [f"/admin/intake/intake/{pk}/change/" for pk in intake_ids],
        "intake_page_variants": [
            (name, f"/admin/intake/intake/{i.pk}/change/") for name, i in variants if i
        ],
        "returning": [{"full_name": n, "date_of_birth": b.isoformat()} for n, b in returning],
    }
