"""A real import run no longer lists its new recommendations in ImportChange: its review list reads them
from the recommendations it created (``ImportRun.review_list``). The copies earlier runs kept go."""

from django.db import migrations


def drop_copies(apps, schema_editor):  # type: ignore[no-untyped-def]
    ImportChange = apps.get_model("recommendations", "ImportChange")
    ImportChange.objects.filter(kind="new", run__dry_run=False).delete()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0006_event_tables_index_only_what_history_reads")]

    operations = [migrations.RunPython(drop_copies, migrations.RunPython.noop)]
