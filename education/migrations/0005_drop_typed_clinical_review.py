# A reviewer and date typed by hand proved nothing; a clinician's sign-off on a revision replaces them.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0004_existing_articles_become_published_revisions"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='article',
            name='last_reviewed_on',
        ),
        migrations.RemoveField(
            model_name='article',
            name='reviewed_by',
        ),
        migrations.RemoveField(
            model_name='historicalarticle',
            name='last_reviewed_on',
        ),
        migrations.RemoveField(
            model_name='historicalarticle',
            name='reviewed_by',
        ),
    ]
