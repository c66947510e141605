"""Realistic synthetic data for the benchmark: patients, their visits, medicines, screenings.

`ensure_seeded()` builds 60,000 patients with 1-3 visits each: 100,000 submitted intakes with
exactly 300,000 medicine rows, each intake screened by the pure rules (`screen()`, with the
patient's previous visit as the comparison, as `submit_intake` does), and most older flags
reviewed by one of a few clinicians. Everything is random but seeded, so two seeds are equal.
Rows go in with COPY, one transaction per chunk of 2,000 patients; nothing is saved row by
row. A seed is kept and reused while its counts and its recipe match.

The stored screenings are what the clinic held just before rules 2026.2: results of the
2026.1 rules, taken from git history by bench/old_rules.py, so that `manage.py rescreen`
finds the real differences of the release. Without git history the seed falls back to the
current rules labelled `FALLBACK_RULES_VERSION`, and says so in its log and results.
"""

import datetime
import json
import os
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from intake.screening.vocabulary import MISUSE_SIGNS, PAIN_QUALITIES, WITHDRAWAL_SYMPTOMS

SEED_RECIPE = "2026-11-v3"  # bump when the generator changes: the next run reseeds
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
# Intakes made by the load generator carry this e-mail domain and are removed before each run.
LOADGEN_EMAIL_DOMAIN = "loadgen.invalid"
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
DRUGS = [
    (
        "oxycodone",
        22,
        ("immediate_release", "extended_release"),
        (5, 10, 15, 20, 30),
        (2, 3, 4),
        ("OxyContin", "Percocet", "Roxicodone"),
    ),
    (
        "hydrocodone",
        18,
        ("immediate_release", "extended_release"),
        (5, 7.5, 10),
        (3, 4, 6),
        ("Norco", "Vicodin", "Hysingla ER"),
    ),
    (
        "morphine",
        12,
        ("immediate_release", "extended_release"),
        (15, 30, 60),
        (2, 3),
        ("MS Contin",),
    ),
    ("tramadol", 12, ("immediate_release",), (50, 100), (2, 3, 4), ("Ultram",)),
    ("codeine", 5, ("immediate_release",), (30, 60), (3, 4), ("Tylenol with Codeine",)),
    ("tapentadol", 5, ("immediate_release", "extended_release"), (50, 100), (2, 3), ("Nucynta",)),
    ("hydromorphone", 6, ("immediate_release",), (2, 4, 8), (3, 4), ("Dilaudid",)),
    ("oxymorphone", 2, ("immediate_release", "extended_release"), (5, 10), (2,), ("Opana",)),
    ("methadone", 5, ("immediate_release",), (5, 10, 20), (1, 2, 3), ("Dolophine", "Methadose")),
    ("fentanyl", 6, ("transdermal_patch",), (12, 25, 50, 75, 100), None, ("Duragesic",)),
    (
        "buprenorphine",
        5,
        ("sublingual", "transdermal_patch"),
        (2, 4, 8),
        (1, 2),
        ("Suboxone", "Butrans", "Belbuca"),
    ),
    ("other", 2, ("other", "immediate_release"), (10, 20), (2,), ()),
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
STEP_SLUGS = [
    "about-you",
    "medicines",
    "opioid-use",
    "dose-changes",
    "pain-map",
    "pain-details",
    "other-questions",
]
INJURY_NOTES = [
    "Fell on the stairs in the spring and hurt my knee.",
    "Back surgery last year.",
    "My arthritis has got worse in my hands.",
    "Car accident, whiplash.",
    "Hip replacement.",
]


# Answers ---------------------------------------------------------------------------------


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
        return {
            "full_name": ""
            if imported_only
            else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "date_of_birth": None
            if imported_only
            else datetime.date(rng.randint(1938, 2002), rng.randint(1, 12), rng.randint(1, 28)),
            "clinic_reference": f"MRN-{1_000_000 + number}" if has_reference else "",
        }

    def medicine_rows(self, count):
        rng = self.rng
        rows = []
        for position in range(count):
            name, _, forms, strengths, times, brands = rng.choices(DRUGS, DRUG_WEIGHTS)[0]
            formulation = rng.choice(forms)
            strength = Decimal(str(rng.choice(strengths)))
            chosen_as = rng.choice(brands) if brands and rng.random() < 0.35 else ""
            purpose = (
                "oud_treatment"
                if name in ("buprenorphine", "methadone") and (rng.random() < 0.6)
                else "pain"
            )
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
        dose_change = self.pick(
            {
                "increased": 30,
                "decreased": 18,
                "stable": 34,
                "started": 4,
                "stopped": 6,
                "unknown": 8,
            }
        )
        if not taking:
            dose_change = rng.choice(["stopped", "decreased", "unknown"])
        weeks = None if rng.random() < 0.3 else Decimal(rng.randint(1, 26))
        responses = {"better": 14, "worse": 26, "unchanged": 10, "not_tried": 50}
        between = self.pick({"worse": 30, "no_change": 45, "not_applicable": 25})
        withdrawal = (
            rng.sample(WITHDRAWAL_SYMPTOMS, rng.randint(1, 4))
            if between == "worse" and rng.random() < 0.5
            else []
        )
        group = rng.choice(REGION_GROUPS)
        if previous is not None and previous["original_pain_sites"]:
            original = list(previous["original_pain_sites"])
        else:
            original = rng.sample(group, rng.randint(1, 2))
        current = list(
            dict.fromkeys(
                original + (rng.sample(group, rng.randint(1, 3)) if rng.random() < 0.45 else [])
            )
        )
        if previous is not None and rng.random() < 0.3:
            current = list(dict.fromkeys(previous["current_pain_sites"] + [rng.choice(group)]))
        start_score = rng.randint(3, 9)
        now_score = max(0, min(10, start_score + rng.randint(-3, 3)))
        qualities = rng.sample(
            PAIN_QUALITIES,
            self.pick({0: 45, 1: 30, 2: 18, 3: 7}),
        )
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


# Seeding -----------------------------------------------------------------------------------


class Copier:
    """Rows straight into PostgreSQL with COPY, primary keys handed out here.

    Model instances are built as usual (so defaults apply), then their column values are
    streamed; nothing goes through save() or bulk_create's per-value preparation, which runs
    at a few thousand rows a second on this machine against 100,000s with COPY.
    """

    def __init__(self):
        self.next_id = {}

    def assign(self, model, objects):
        start = self.next_id.get(model, 1)
        for offset, obj in enumerate(objects):
            obj.pk = start + offset
        self.next_id[model] = start + len(objects)

    def copy(self, model, objects):
        from django.db.models import JSONField
        from psycopg.types.json import Jsonb

        # The database derives generated columns (Screening.level_rank) itself.
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        json_columns = [i for i, f in enumerate(fields) if isinstance(f, JSONField)]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        attnames = [f.attname for f in fields]
        connection.ensure_connection()
        with connection.cursor() as cursor:
            sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for obj in objects:
                    row = [getattr(obj, name) for name in attnames]
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


def _clinicians():
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
    from intake.models import Intake, IntakeMedicine, Patient, Review, Screening, name_key
    from intake.recommendations import recommended_article_slugs
    from intake.submission import evidence_key

    screen, rules_version = seed_rules()
    started = time.monotonic()
    gen = Generator()
    reviewers = _clinicians()
    visit_plan, medicine_counts = _plan(gen)
    now = timezone.now()
    decisions = {"accept": 42, "override": 43, "follow_up": 15}
    override_reasons = {
        "tolerance": 35,
        "withdrawal": 20,
        "disease_progression": 20,
        "new_injury": 10,
        "opioid_use_disorder": 8,
        "data_error": 4,
        "other": 3,
    }
    copier = Copier()
    screened = 0
    for chunk_start in range(0, PATIENTS, CHUNK_PATIENTS):
        chunk = range(chunk_start, min(PATIENTS, chunk_start + CHUNK_PATIENTS))
        with transaction.atomic():
            people = []
            for number in chunk:
                identity = gen.patient(number)
                count = visit_plan[number]
                # Visits 2-4 months apart, the last one by now.
                first = now - datetime.timedelta(
                    days=gen.rng.uniform(120 * (count - 1), DAYS_OF_HISTORY),
                    minutes=gen.rng.randint(0, 600),
                )
                people.append({"identity": identity, "visits": count, "first": first})
            patients = [
                Patient(
                    full_name=p["identity"]["full_name"],
                    name_key=name_key(p["identity"]["full_name"]),
                    date_of_birth=p["identity"]["date_of_birth"],
                    clinic_reference=p["identity"]["clinic_reference"],
                    created_at=p["first"],
                )
                for p in people
            ]
            copier.assign(Patient, patients)
            copier.copy(Patient, patients)
            history = [[] for _ in people]  # per patient: (intake, answers, doc, screening)
            medicines, screenings = [], []
            for visit in range(1, 4):
                due = [i for i, p in enumerate(people) if p["visits"] >= visit]
                built = []
                for i in due:
                    person, patient = people[i], patients[i]
                    previous = history[i][-1] if history[i] else None
                    answers = gen.answers(previous[1] if previous else None)
                    submitted = person["first"] + datetime.timedelta(
                        days=(visit - 1) * gen.rng.uniform(60, 120)
                    )
                    submitted = min(submitted, now - datetime.timedelta(minutes=5))
                    imported = not person["identity"]["full_name"] or gen.rng.random() < 0.08
                    identity = person["identity"]
                    intake = Intake(
                        reference=gen.reference(),
                        status=Intake.Status.SUBMITTED,
                        source=Intake.Source.IMPORT if imported else Intake.Source.WEB,
                        patient=patient,
                        previous_intake=previous[0] if previous else None,
                        started_at=submitted - datetime.timedelta(minutes=gen.rng.randint(6, 40)),
                        updated_at=submitted,
                        submitted_at=submitted,
                        consent_given_at=None
                        if imported
                        else submitted - datetime.timedelta(minutes=gen.rng.randint(6, 40)),
                        completed_steps=[] if imported else list(STEP_SLUGS),
                        resume_code_hash=gen.secret_hash(),
                        resume_link_hash=gen.secret_hash(),
                        full_name="" if imported else identity["full_name"],
                        date_of_birth=None if imported else identity["date_of_birth"],
                        email=""
                        if imported or gen.rng.random() < 0.4
                        else f"patient{patient.pk}@example.org",
                        phone="" if gen.rng.random() < 0.5 else f"07700 9{patient.pk:05d}"[:13],
                        clinic_reference=identity["clinic_reference"],
                        **answers,
                    )
                    intake.recommended_articles = recommended_article_slugs(intake)
                    built.append((i, intake, answers))
                copier.assign(Intake, [b[1] for b in built])
                copier.copy(Intake, [b[1] for b in built])
                for i, intake, answers in built:
                    rows = [
                        IntakeMedicine(intake=intake, **row)
                        for row in gen.medicine_rows(next(medicine_counts))
                    ]
                    medicines.extend(rows)
                    document = document_for(intake, rows)
                    previous = history[i][-1] if history[i] else None
                    result = screen(document, previous=previous[2] if previous else None)
                    result["rules_version"] = rules_version
                    level = result["oih"]["level"]
                    key = evidence_key(result) if level != "none" else ""
                    repeat = bool(key) and any(
                        s.evidence_key == key and getattr(s, "_bench_review", None)
                        for _, _, _, s in history[i]
                    )
                    total = result["mme"]["total_per_day"]
                    screening = Screening(
                        intake=intake,
                        rules_version=rules_version,
                        factor_table=result["mme"]["factor_table"],
                        level=level,
                        mme_total=None if total is None else Decimal(str(total)),
                        alert_codes=[a["code"] for a in result["alerts"]],
                        reason_codes=[r["code"] for r in result["oih"]["reasons"]],
                        evidence_key=key,
                        is_repeat_of_reviewed=repeat,
                        intake_submitted_at=intake.submitted_at,
                        result=result,
                        created_at=intake.submitted_at,
                    )
                    age = now - intake.submitted_at
                    if (
                        level != "none"
                        and not repeat
                        and age > datetime.timedelta(days=10)
                        and gen.rng.random() < 0.92
                    ):
                        decision = gen.pick(decisions)
                        screening.is_reviewed = True
                        screening._bench_review = Review(
                            decision=decision,
                            override_reason=gen.pick(override_reasons)
                            if decision == "override"
                            else "",
                            note="Discussed at clinic." if gen.rng.random() < 0.3 else "",
                            reviewed_by=gen.rng.choice(reviewers),
                            reviewed_at=intake.submitted_at
                            + datetime.timedelta(days=gen.rng.uniform(0.5, 9)),
                        )
                    screenings.append(screening)
                    history[i].append((intake, answers, document, screening))
            copier.assign(IntakeMedicine, medicines)
            copier.copy(IntakeMedicine, medicines)
            copier.assign(Screening, screenings)
            copier.copy(Screening, screenings)
            reviews = []
            for screening in screenings:
                recorded = getattr(screening, "_bench_review", None)
                if recorded is not None:
                    recorded.screening = screening
                    reviews.append(recorded)
            copier.assign(Review, reviews)
            copier.copy(Review, reviews)
            screened += len(screenings)
        if (chunk_start // CHUNK_PATIENTS) % 5 == 4:
            out(
                f"  seeded {chunk.stop:,} patients, {screened:,} intakes "
                f"({time.monotonic() - started:.0f} s)"
            )
    copier.finish()
    return time.monotonic() - started


def seed_rules():
    """(screen, rules version) for the seed: the 2026.1 rules from git, else the current ones."""
    from bench import old_rules

    package, why = old_rules.load()
    if package is not None:
        return package.screen, package.RULES_VERSION
    from intake.screening import screen

    return screen, FALLBACK_RULES_VERSION


def seed_rules_source():
    """What the seed's screenings were computed with, in words, for the log and results."""
    from bench import old_rules

    package, why = old_rules.load()
    if package is not None:
        return f"rules {package.RULES_VERSION} from git {old_rules.OLD_RULES_COMMIT}"
    return f"current rules labelled {FALLBACK_RULES_VERSION}: {why}"


# Keeping one seed across runs -------------------------------------------------------------

META_TABLE = "bench_seed"


def _counts():
    from intake.models import Intake, IntakeMedicine, Patient

    return {
        "patients": Patient.objects.count(),
        "intakes": Intake.objects.count(),
        "medicines": IntakeMedicine.objects.count(),
    }


def _recipe():
    # The rules the screenings came from are part of the recipe: a fallback seed is rebuilt
    # once git history is there.
    rules = "git" if seed_rules_source().startswith("rules") else "fallback"
    return (
        f"{SEED_RECIPE}:{rules}:{PATIENTS}:{sum(c * n for c, n in VISIT_MIX.items())}:{MEDICINES}"
    )


def _stored_recipe():
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (recipe text, seeded_at timestamptz, "
            "seconds double precision)"
        )
        cursor.execute(f"SELECT recipe FROM {META_TABLE} ORDER BY seeded_at DESC LIMIT 1")
        row = cursor.fetchone()
    return row[0] if row else None


SIZED_TABLES = ["intake_patient", "intake_intake", "intake_intakemedicine", "intake_screening"]


def _sizes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
            [SIZED_TABLES],
        )
        return dict(cursor.fetchall())


def compact(out=print):
    """Rewrite any table grown by more than a quarter since the seed (a rescreen --apply and
    its reset, or journeys, leave dead rows): a bloated table would slow every later run."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {META_TABLE} ADD COLUMN IF NOT EXISTS sizes jsonb")
        cursor.execute(f"SELECT sizes FROM {META_TABLE} ORDER BY seeded_at DESC LIMIT 1")
        row = cursor.fetchone()
    stored = (row and row[0]) or {}
    if isinstance(stored, str):  # Django reads jsonb back as text
        stored = json.loads(stored)
    now = _sizes()
    bloated = [t for t in SIZED_TABLES if not stored or now.get(t, 0) > 1.25 * stored.get(t, 0)]
    for table in bloated:
        out(f"  compacting {table} ({now.get(table, 0) / 2**20:.0f} MB)")
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM FULL ANALYZE {table}")
    if not stored:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {META_TABLE} SET sizes = %s WHERE seeded_at = "
                f"(SELECT max(seeded_at) FROM {META_TABLE})",
                [json.dumps(_sizes())],
            )


def cleanup(out=print):
    """Undo what the previous run's load left: journeys, sessions, access logs, rescreens."""
    statements = [
        # Intakes the load generator made (and unfinished ones: every seeded intake is
        # submitted), and the check-ins of the bench's follow-ups (the seed has none).
        "CREATE TEMP TABLE bench_doomed AS SELECT id FROM intake_intake "
        f"WHERE email LIKE '%%@{LOADGEN_EMAIL_DOMAIN}' OR status = 'in_progress' "
        "OR kind = 'check_in'",
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
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    reset_rescreens(out)


def reset_rescreens(out=print):
    """Put the seeded screenings back as they were before `rescreen --apply`."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM intake_review WHERE screening_id IN "
            "(SELECT id FROM intake_screening WHERE cause = 'rescreen')"
        )
        cursor.execute("DELETE FROM intake_screening WHERE cause = 'rescreen'")
        removed = cursor.rowcount
        cursor.execute(
            "UPDATE intake_screening SET is_current = true WHERE NOT is_current "
            "AND cause = 'submission'"
        )
        cursor.execute("DELETE FROM intake_rescreen")
    if removed:
        out(f"  put back {removed:,} screenings from an earlier rescreen --apply")
    return removed


def vacuum(tables):
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def wipe():
    tables = [
        "intake_followup",
        "intake_review",
        "intake_screening",
        "intake_accesslog",
        "intake_intakemedicine",
        "intake_intake",
        "intake_patient",
        "intake_rescreen",
        "intake_resumeattempt",
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute(f"DELETE FROM {META_TABLE}")


def ensure_seeded(out=print):
    """Seed unless the database already holds this recipe's data; return what was done."""
    expected = {
        "patients": PATIENTS,
        "intakes": sum(c * n for c, n in VISIT_MIX.items()),
        "medicines": MEDICINES,
    }
    cleanup(out)
    counts = _counts()
    if _stored_recipe() == _recipe() and counts == expected:
        compact(out)
        out(
            f"  reusing the seed: {counts['intakes']:,} intakes, "
            f"{counts['medicines']:,} medicines, {counts['patients']:,} patients"
        )
        return {"seeded": False, "counts": counts, "screened_with": seed_rules_source()}
    out(
        f"  seeding {expected['intakes']:,} intakes, {expected['medicines']:,} medicines, "
        f"{expected['patients']:,} patients (found {counts}), screened with "
        f"{seed_rules_source()}"
    )
    wipe()
    seconds = seed(out)
    vacuum(
        [
            "intake_patient",
            "intake_intake",
            "intake_intakemedicine",
            "intake_screening",
            "intake_review",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {META_TABLE} ADD COLUMN IF NOT EXISTS sizes jsonb")
        cursor.execute(
            f"INSERT INTO {META_TABLE} (recipe, seeded_at, seconds, sizes) VALUES "
            "(%s, now(), %s, %s)",
            [_recipe(), seconds, json.dumps(_sizes())],
        )
    counts = _counts()
    if counts != expected:
        raise RuntimeError(f"Seed produced {counts}, expected {expected}")
    out(f"  seeded in {seconds:.0f} s")
    return {
        "seeded": True,
        "seconds": round(seconds, 1),
        "counts": counts,
        "screened_with": seed_rules_source(),
    }
