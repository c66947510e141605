from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_EDITORS = "Content editors"
# Editors manage the patient articles and nothing else: no patient data, no users.
EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("article", "articlesource", "glossaryterm")
    for action in ("add", "change", "delete", "view")
] + ["view_historicalarticle", "view_historicalarticlesource", "view_historicalglossaryterm"]


def create_content_editors(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group can hold them.
    education = apps.get_app_config("education")
    education.models_module = True
    create_permissions(education, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CONTENT_EDITORS)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="education", codename__in=EDITOR_PERMISSIONS)
    )


def remove_content_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CONTENT_EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_content_editors, remove_content_editors)]
