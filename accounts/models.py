from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A member of staff: a clinician, a content editor or an administrator.

    Patients never have accounts; their intake is reached by a resume code.
    Kept as our own model from the first migration so roles can grow later.
    """

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
