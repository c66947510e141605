from django.db import migrations

CLINICIANS = "Clinicians"


def create_clinicians(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CLINICIANS)


def remove_clinicians(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CLINICIANS).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_clinicians, remove_clinicians)]
