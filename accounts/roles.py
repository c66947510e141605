"""The fixed staff roles: Django groups and the permissions each one holds.

Defined once here; the migrations that create the groups and the tests that
rebuild them after a flush both call `sync_role_groups`.
"""

CONTENT_EDITORS = "Content editors"
CLINICIANS = "Clinicians"

_CRUD = ("add", "change", "delete", "view")

ROLE_PERMISSIONS = {
    # Editors manage patient articles and nothing else: no patient data, no users.
    CONTENT_EDITORS: [
        *(
            f"education.{action}_{model}"
            for model in (
                "article",
                "articlerevision",
                "articlefigure",
                "articlesource",
                "glossaryterm",
            )
            for action in _CRUD
        ),
        "education.view_historicalarticle",
        "education.view_historicalarticlesource",
        "education.view_historicalglossaryterm",
    ],
    # Clinicians read intakes and record reviews; patient answers stay read-only.
    CLINICIANS: [
        "intake.view_patient",
        "intake.view_intake",
        "intake.view_intakemedicine",
        "intake.view_screening",
        "intake.view_review",
        "intake.add_review",
        "intake.change_review",
        # Follow-ups: a clinician starts one from the intake page (check-ins are intakes).
        "intake.view_followup",
        "intake.add_followup",
        # A typed identity only suggests a match; a clinician confirms or rejects it.
        "intake.view_patientmatch",
        "intake.change_patientmatch",
        # The clinical check of patient articles: read them, and sign a revision off.
        "education.view_article",
        "education.view_articlerevision",
        "education.view_articlefigure",
        "education.sign_off_articlerevision",
    ],
}


def sync_role_groups(group_model, permission_model):
    """Create each role's group and give it exactly its permissions that exist so far."""
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [p.split(".", 1) for p in permissions]
        existing = [
            permission
            for permission in permission_model.objects.select_related("content_type")
            if [permission.content_type.app_label, permission.codename] in wanted
        ]
        group.permissions.set(existing)
