"""django-rest-knox's migrations made a table of their own (knox_authtoken) although the token model
is ours (tracker.ApiKey, KNOX_TOKEN_MODEL); they no longer run (MIGRATION_MODULES). The unused
table held a foreign key to the users, which stopped the users' table from being emptied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tracker", "0005_api_key")]

    operations = [
        migrations.RunSQL(
            "DROP TABLE IF EXISTS knox_authtoken CASCADE",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
