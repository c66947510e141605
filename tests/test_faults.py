"""PostgreSQL crashes and restarts while patients fill in the intake on a real server.

Run by `make test-faults` (and by CI). The database is a throwaway embedded
PostgreSQL of this test's own; the app runs under gunicorn as deployed. The
test counts what matters to a patient: no submitted intake lost, none
duplicated, no half-written record, a kind 503 during the outage (never a 500),
and recovery without restarting the app.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.intake.journey import QUESTION_PAGES, VALID_ANSWERS, VALID_MEDICINE

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parent.parent
PATIENTS = 48
CONCURRENT = 8
OUTAGE_STARTS_AFTER = 1.5
OUTAGE_SECONDS = 4.0
TIME_LIMIT = 120


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """An embedded PostgreSQL on its own data directory and port, stopped and started at will."""

    def __init__(self, data_dir):
        import pgserver
        from pgserver._commands import POSTGRES_BIN_PATH
        from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

        self.data_dir, self.port = data_dir, free_port()
        self.pg_ctl = pgserver.pg_ctl
        self.user = None
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root; pgserver keeps a user for it.
            self.user = "pgserver"
            ensure_user_exists(self.user)
            data_dir.mkdir(parents=True)
            ensure_prefix_permissions(data_dir)
            # As pgserver does for its own server: that user must reach the binaries, even in
            # a checkout under a directory only root may enter (a `mktemp -d` clone).
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            shutil.chown(data_dir, self.user)
        pgserver.initdb(
            ["--auth=trust", "-U", "postgres", "--encoding=utf8"], pgdata=data_dir, user=self.user
        )
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/faults"

    def start(self):
        self.pg_ctl(
            [
                "-w",
                "-o",
                f"-h 127.0.0.1 -p {self.port} -k ''",
                "-l",
                str(self.data_dir / "log"),
                "start",
            ],
            pgdata=self.data_dir,
            user=self.user,
            timeout=30,
        )

    def crash(self):
        # Immediate mode: no clean shutdown, like a crash; recovery runs on the next start.
        self.pg_ctl(
            ["-w", "-m", "immediate", "stop"], pgdata=self.data_dir, user=self.user, timeout=30
        )


class Patient:
    """One person going through the intake, pressing "try again" whenever the site says so."""

    def __init__(self, base, number, log):
        self.base, self.number, self.log = base, number, log
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.name = f"Fault Patient {number:03d}"
        self.reference = None

    def request(self, path, data=None):
        """One page, retried until it is not a 503 or a refused connection."""
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        while True:
            started = time.monotonic()
            try:
                with self.opener.open(self.base + path, body, timeout=20) as response:
                    self.log.append((started, response.status))
                    return response.geturl(), response.read().decode()
            except urllib.error.HTTPError as error:
                self.log.append((started, error.code))
                if error.code != 503:
                    raise AssertionError(f"{path} answered {error.code}") from error
                assert "Everything you saved before is safe" in error.read().decode()
            except (urllib.error.URLError, ConnectionError):
                self.log.append((started, "refused"))
            time.sleep(0.3)

    def csrf(self, page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post_step(self, path, answers):
        """Send a page's form as a browser would: its hidden fields, then the answers."""
        _, page = self.request(path)
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        return self.request(path, {**hidden, **answers, "csrfmiddlewaretoken": self.csrf(page)})

    def fill_in(self):
        self.post_step("/intake/", {"consent": "on"})
        self.post_step("/intake/about-you/", {**VALID_ANSWERS["about-you"], "full_name": self.name})
        _, page = self.request("/intake/medicines/")
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        self.request(
            "/intake/medicines/",
            {**VALID_MEDICINE, "form_token": token, "csrfmiddlewaretoken": self.csrf(page)},
        )
        self.post_step("/intake/medicines/", {"action": "continue"})
        for slug in QUESTION_PAGES:
            self.post_step(f"/intake/{slug}/", VALID_ANSWERS[slug])
        url, page = self.post_step("/intake/check/", {})
        assert url.endswith("/intake/done/"), url
        self.reference = re.search(r'id="intake-reference">([^<]+)<', page).group(1)


@pytest.fixture
def database(tmp_path):
    server = ThrowawayPostgres(tmp_path / "pgdata")
    server.start()
    with psycopg.connect(server.url.replace("/faults", "/postgres"), autocommit=True) as admin:
        admin.execute("CREATE DATABASE faults")
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):
        server.crash()


@pytest.fixture
def app_server(database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_SECRET_KEY": "fault-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DJANGO_STATIC_ROOT": str(tmp_path / "static")},
        check=True,
    )
    port = free_port()
    server_log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oih_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_STATIC_ROOT": str(tmp_path / "static")},
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/readyz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)
    server_log.close()


def test_a_database_crash_under_load_loses_and_duplicates_nothing(database, app_server):
    log, patients, failures = [], [], []
    queue = list(range(PATIENTS))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not queue:
                    return
                patient = Patient(app_server, queue.pop(), log)
                patients.append(patient)
            try:
                patient.fill_in()
            except Exception as error:  # noqa: BLE001 - collected and asserted on below
                failures.append(repr(error))

    threads = [threading.Thread(target=work, daemon=True) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    time.sleep(OUTAGE_STARTS_AFTER)
    outage_start = time.monotonic()
    database.crash()
    time.sleep(OUTAGE_SECONDS)
    database.start()
    restarted = time.monotonic()
    while True:
        try:
            urllib.request.urlopen(app_server + "/readyz", timeout=2)
            break
        except OSError:
            time.sleep(0.05)
    recovery_seconds = time.monotonic() - restarted
    for thread in threads:
        thread.join(timeout=TIME_LIMIT)

    during = [status for started, status in log if outage_start <= started < restarted]
    with psycopg.connect(database.url) as db:
        submitted = db.execute(
            "SELECT full_name, reference, pain_score_now, current_pain_sites FROM intake_intake "
            "WHERE status = 'submitted' ORDER BY full_name"
        ).fetchall()
        unfinished = db.execute(
            "SELECT count(*) FROM intake_intake WHERE status = 'in_progress'"
        ).fetchone()[0]
        half_written = db.execute(
            "SELECT count(*) FROM intake_intake i WHERE i.status = 'submitted' AND ("
            " (SELECT count(*) FROM intake_screening s WHERE s.intake_id = i.id AND s.is_current)"
            " <> 1 OR (SELECT count(*) FROM intake_intakemedicine m WHERE m.intake_id = i.id)"
            " <> 1)"
        ).fetchone()[0]
    names = [row[0] for row in submitted]
    completed = {p.reference for p in patients if p.reference}
    lost = len(completed - {row[1] for row in submitted})
    duplicated = len(names) - len(set(names))
    print(
        f"\nFAULTS: patients={PATIENTS} completed={len(completed)} submitted={len(submitted)} "
        f"lost={lost} duplicated={duplicated} half_written={half_written} "
        f"unfinished={unfinished} requests={len(log)} requests_during_outage={len(during)} "
        f"answered_503={during.count(503)} refused={during.count('refused')} "
        f"other_during_outage={len([s for s in during if s not in (503, 'refused')])} "
        f"recovery_seconds={recovery_seconds:.2f}"
    )

    assert failures == []
    assert not any(t.is_alive() for t in threads)
    assert len(completed) == PATIENTS
    assert (lost, duplicated, half_written, unfinished) == (0, 0, 0, 0)
    assert len(submitted) == PATIENTS
    assert 503 in during, "the outage was felt: patients were asked to try again"
    assert not [status for _, status in log if status == 500]
    # Every patient's saved steps are all there.
    assert {(row[2], frozenset(row[3])) for row in submitted} == {
        (8, frozenset(VALID_ANSWERS["pain-map"]["current_pain_sites"]))
    }


# A clinician reviewing one flag after another, run as its own process against the
# throwaway database. A review that meets the outage is tried again, as a clinician would
# press Save again after the "please try again" page; each outcome is printed.
REVIEWER = """
import time
from django.db import DatabaseError, close_old_connections
from accounts.models import User
from intake.models import Screening
from intake.review.recording import AlreadyReviewed, record_review

clinician = User.objects.get(username="fault-clinician")
ids = list(Screening.objects.filter(is_current=True).order_by("pk").values_list("pk", flat=True))
print("ready", len(ids), flush=True)
for pk in ids:
    while True:
        try:
            record_review(Screening.objects.get(pk=pk), clinician, "accept", note=f"seen {pk}")
            print("stored", pk, flush=True)
            break
        except AlreadyReviewed:
            print("already", pk, flush=True)
            break
        except DatabaseError as error:
            print("retry", pk, type(error).__name__, flush=True)
            close_old_connections()
            time.sleep(0.2)
    time.sleep(0.03)
"""
INTAKES_FOR_STAFF = 100


def manage(database, *args, **kwargs):
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_DEBUG": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def finished(process, timeout=TIME_LIMIT):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def wait_for_progress(database, process):
    """Until the rescreen has stored its first batches (it records its run as it goes)."""
    deadline = time.monotonic() + TIME_LIMIT
    while time.monotonic() < deadline and process.poll() is None:
        with psycopg.connect(database.url) as db:
            row = db.execute("SELECT max(examined) FROM intake_rescreen").fetchone()
        if row[0]:
            return
        time.sleep(0.02)


def crash_after(database, seconds):
    time.sleep(seconds)
    database.crash()
    time.sleep(OUTAGE_SECONDS)
    database.start()


def test_a_database_crash_during_reviews_and_a_rescreen_half_applies_nothing(
    database, app_server, tmp_path
):
    """The clinicians' writes under a crash: each review is stored once or not at all, and a
    `rescreen --apply` stopped half-way is finished by running it again, never half-applied
    for any intake."""
    case = (ROOT / "tests" / "cases" / "pub-01-oih-hydrocodone.json").read_text()
    documents = []
    for number in range(INTAKES_FOR_STAFF):
        document = json.loads(case)
        document["reference"] = f"staff-{number:03d}"
        documents.append(document)
    batch = tmp_path / "staff.json"
    batch.write_text(json.dumps(documents))
    assert finished(manage(database, "import_intakes", str(batch)))[0] == 0
    with psycopg.connect(database.url) as db:
        db.execute(
            "INSERT INTO accounts_user (username, password, is_superuser, first_name, last_name,"
            " email, is_staff, is_active, date_joined) VALUES ('fault-clinician', '!', false,"
            " '', '', '', true, true, now())"
        )

    # Reviews, with the database crashing part-way through.
    reviewer = manage(database, "shell", "--no-imports", "-c", REVIEWER)
    first_line = reviewer.stdout.readline()
    assert first_line.split()[0] == "ready", first_line + reviewer.stderr.read()
    crash_after(database, 0.8)
    code, out, err = finished(reviewer)
    assert code == 0, err
    outcomes = [line.split() for line in out.splitlines()]
    stored = {int(words[1]) for words in outcomes if words[0] == "stored"}
    retried = [words for words in outcomes if words[0] == "retry"]
    with psycopg.connect(database.url) as db:
        reviews = db.execute(
            "SELECT screening_id, count(*) FROM intake_review GROUP BY screening_id"
        ).fetchall()
        review_half_written = db.execute(
            "SELECT count(*) FROM intake_screening s WHERE s.is_current AND s.is_reviewed <> "
            "EXISTS (SELECT 1 FROM intake_review r WHERE r.screening_id = s.id)"
        ).fetchone()[0]
        history_rows = db.execute("SELECT count(*) FROM intake_historicalreview").fetchone()[0]
    reviewed = {row[0] for row in reviews}
    review_lost = len(stored - reviewed)
    review_duplicated = sum(count - 1 for _, count in reviews)
    review_unrecorded = len(reviewed - stored) - sum(1 for w in outcomes if w[0] == "already")

    # Then screenings made stale, and a rescreen that the crash stops part-way.
    with psycopg.connect(database.url) as db:
        db.execute(
            "UPDATE intake_screening SET rules_version = '2000.1', result = jsonb_set(result, "
            "'{rules_version}', '\"2000.1\"')"
        )
    first_run = manage(database, "rescreen", "--apply", "--batch-size", "1")
    wait_for_progress(database, first_run)
    crash_after(database, 0.1)
    first_code, _, first_err = finished(first_run)
    with psycopg.connect(database.url) as db:
        stopped_at = db.execute(
            "SELECT count(*) FROM intake_screening WHERE is_current AND rules_version <> '2000.1'"
        ).fetchone()[0]
        rescreen_half_written = db.execute(
            "SELECT count(*) FROM intake_intake i WHERE i.status = 'submitted' AND (SELECT "
            "count(*) FROM intake_screening s WHERE s.intake_id = i.id AND s.is_current) <> 1"
        ).fetchone()[0]
    second_code, second_out, second_err = finished(
        manage(database, "rescreen", "--apply", "--batch-size", "10")
    )
    with psycopg.connect(database.url) as db:
        still_stale = db.execute(
            "SELECT count(*) FROM intake_screening WHERE is_current AND rules_version = '2000.1'"
        ).fetchone()[0]
        screenings_per_intake = db.execute(
            "SELECT count(*) FROM intake_screening GROUP BY intake_id"
        ).fetchall()
        rescreen_half_written += db.execute(
            "SELECT count(*) FROM intake_intake i WHERE i.status = 'submitted' AND (SELECT "
            "count(*) FROM intake_screening s WHERE s.intake_id = i.id AND s.is_current) <> 1"
        ).fetchone()[0]
    rescreen_duplicated = sum(1 for (count,) in screenings_per_intake if count != 2)
    print(
        f"\nSTAFF FAULTS: intakes={INTAKES_FOR_STAFF} reviews_stored={len(stored)} "
        f"review_retries={len(retried)} review_lost={review_lost} "
        f"review_duplicated={review_duplicated} review_half_written={review_half_written} "
        f"review_unreported={review_unrecorded} history_rows={history_rows} "
        f"rescreen_first_exit={first_code} rescreened_before_crash={stopped_at} "
        f"rescreen_half_written={rescreen_half_written} still_stale={still_stale} "
        f"rescreen_duplicated={rescreen_duplicated}"
    )

    assert retried, "the crash met the reviews part-way"
    assert (review_lost, review_duplicated, review_half_written) == (0, 0, 0)
    assert len(reviewed) == INTAKES_FOR_STAFF
    assert history_rows == len(reviewed)
    assert first_code != 0 and 0 < stopped_at < INTAKES_FOR_STAFF, (first_code, stopped_at)
    assert "Traceback" not in first_err, first_err
    assert "database" in first_err.lower()
    assert second_code == 0, second_err
    assert (rescreen_half_written, still_stale, rescreen_duplicated) == (0, 0, 0)
