"""The fixed staff roles, as Django groups created by migrations."""

CONTENT_EDITORS = "Content editors"
CLINICIANS = "Clinicians"
