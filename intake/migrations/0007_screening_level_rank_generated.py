from django.db import migrations, models


class Migration(migrations.Migration):
    """Screening.level_rank becomes a stored generated column, derived from level by the database.

    A column cannot be altered into a generated one, so it is dropped and added again, and the
    review queue's index on it with it.
    """

    dependencies = [
        ("intake", "0006_intake_start_token"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="screening",
            name="screening_open_queue_idx",
        ),
        migrations.RemoveField(
            model_name="screening",
            name="level_rank",
        ),
        migrations.AddField(
            model_name="screening",
            name="level_rank",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(level="flag", then=models.Value(0)),
                    models.When(level="borderline", then=models.Value(1)),
                    default=models.Value(2),
                ),
                output_field=models.PositiveSmallIntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(
                condition=models.Q(
                    ("is_current", True),
                    ("is_repeat_of_reviewed", False),
                    ("level__in", ["flag", "borderline"]),
                ),
                fields=["is_reviewed", "level_rank", "intake_submitted_at", "id"],
                name="screening_open_queue_idx",
            ),
        ),
    ]
