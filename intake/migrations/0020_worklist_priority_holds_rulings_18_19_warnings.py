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
    """Rules 2026.3, rulings 18 and 19: the `over_label_maximum`, `sedative_with_opioid` and
    `naloxone_not_at_home` warnings put an intake on the worklist (the codes now come from the
    rules' weight table, intake.screening.alerts). As in 0015, the generated priority and the
    two indexes that read it are dropped and made again."""

    dependencies = [
        ("intake", "0019_screening_cause_match_confirmed_or_correction"),
    ]

    operations = [
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
