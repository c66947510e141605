"""The clinicians' own pages, on the admin site (`intake/admin.py` registers them there):
behind the admin's sign-in and second factor, named in its namespace, at the addresses the
model admins would give them, ahead of the model admins' own pages.

Each is a plain view; who may see it is asked of `access.py`, and each look at a patient is
written to the access log.
"""

from intake.review import dashboard, follow_up, intake_page, patients, printable_summary

# (address under the admin site, view, name in the "admin" namespace)
PAGES = [
    ("intake/intake/<path:object_id>/change/", intake_page.intake_page, "intake_intake_change"),
    (
        "intake/intake/<path:object_id>/summary/",
        printable_summary.printable_summary,
        "intake_intake_summary",
    ),
    (
        "intake/intake/<path:object_id>/follow-up/",
        follow_up.follow_up_page,
        "intake_intake_follow_up",
    ),
    ("intake/screening/dashboard/", dashboard.dashboard, "intake_screening_dashboard"),
    ("intake/patient/<path:object_id>/fhir/", patients.fhir_download, "intake_patient_fhir"),
]
