import django.contrib.postgres.fields
from django.db import migrations, models

PRIORITY = models.GeneratedField(
    db_persist=True,
    expression=models.Case(
        models.When(alert_codes__overlap=["withdrawal_after_dose_cut"], then=models.Value(0)),
        models.When(level="flag", then=models.Value(1)),
        models.When(
            alert_codes__overlap=[
                "mme_ge_90",
                "mme_not_computable",
                "misuse_signals",
                "data_quality",
                "withdrawal_symptoms_after_change",
                "over_label_maximum",
                "sedative_with_opioid",
                "naloxone_not_at_home",
            ],
            then=models.Value(2),
        ),
        models.When(level="borderline", then=models.Value(3)),
        default=None,
    ),
    output_field=models.PositiveSmallIntegerField(null=True),
)


class Migration(migrations.Migration):
    """Rules 2026.3, rulings 18 and 19: the "Other medicines" page's answers (the boxes ticked,
    the names typed, the document's list they mean) and whether naloxone is at home; and the
    over_label_maximum, sedative_with_opioid and naloxone_not_at_home warnings put an intake on
    the worklist. A generated column cannot be altered in place, so the priority and the two
    indexes that read it are dropped and made again (the database derives every row's value)."""

    dependencies = [
        ("intake", "0016_check_in_change_and_anything_new"),
    ]

    operations = [
        migrations.AddField(
            model_name="intake",
            name="naloxone_at_home",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="intake",
            name="other_medicines",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="intake",
            name="other_medicines_ticked",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=30), blank=True, default=list, size=None
            ),
        ),
        migrations.AddField(
            model_name="intake",
            name="other_medicines_typed",
            field=models.TextField(blank=True, max_length=2000),
        ),
        migrations.RemoveIndex(model_name="screening", name="screening_worklist_idx"),
        migrations.RemoveIndex(model_name="screening", name="screening_assigned_idx"),
        migrations.RemoveField(model_name="screening", name="priority"),
        migrations.AddField(model_name="screening", name="priority", field=PRIORITY),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(
                condition=models.Q(
                    ("is_current", True),
                    ("is_repeat_of_reviewed", False),
                    ("priority__isnull", False),
                ),
                fields=["is_reviewed", "priority", "intake_submitted_at", "id"],
                name="screening_worklist_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(
                condition=models.Q(("assigned_to__isnull", False), ("is_current", True)),
                fields=["assigned_to", "is_reviewed", "priority", "intake_submitted_at", "id"],
                name="screening_assigned_idx",
            ),
        ),
    ]
