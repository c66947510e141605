from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import sync_role_groups


def sync_groups(apps, schema_editor):
    # The follow-up's permissions exist only after all migrations unless made now.
    intake = apps.get_app_config("intake")
    intake.models_module = True
    create_permissions(intake, apps=apps, verbosity=0)
    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0011_follow_up_and_check_ins"),
        ("education", "0006_clinicians_sign_off_articles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
