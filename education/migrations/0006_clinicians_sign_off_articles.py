from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    # The new models' permissions, and the sign-off one, exist only after all migrations
    # unless made now; clinicians get the sign-off, editors the revisions and pictures.
    education = apps.get_app_config("education")
    education.models_module = True
    create_permissions(education, apps=apps, verbosity=0)
    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0005_drop_typed_clinical_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
