"""The clinicians' side of intake in the admin. The pages themselves live in `intake/review/`:
the model admins are declarative lists and records; the intake page, its printable summary,
the follow-up page, the dashboard and the FHIR download are views of their own
(`review/urls.py`), registered on the site here.

Read-only for everyone, superusers included: patient answers and screening results are
never edited here. The clinician's one write is the review (`review/recording.py`).
Content editors hold no intake permission, so every page here answers them 403. Each
look at a patient's intake writes an AccessLog row, which only superusers can read.
"""

from django.contrib import admin

from intake.models import AccessLog, Intake, Patient, PatientMatch, Review, Screening
from intake.review.access_log import AccessLogAdmin
from intake.review.intakes import IntakeAdmin
from intake.review.matches import PatientMatchAdmin
from intake.review.patients import PatientAdmin
from intake.review.queue import ScreeningAdmin
from intake.review.reviews import ReviewAdmin
from intake.review.urls import PAGES

admin.site.register(Screening, ScreeningAdmin)
admin.site.register(Intake, IntakeAdmin)
admin.site.register(Patient, PatientAdmin)
admin.site.register(Review, ReviewAdmin)
admin.site.register(PatientMatch, PatientMatchAdmin)
admin.site.register(AccessLog, AccessLogAdmin)

for route, view, name in PAGES:
    admin.site.register_page(route, view, name)
