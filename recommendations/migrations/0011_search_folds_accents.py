"""Search folds accents: each UN language's text-search configuration gets a copy
(``tracker_<language>``) that runs ``unaccent`` before the language's stemmer, so "Turkiye" finds
"Türkiye" and "ребенок" finds "ребёнок". The texts' stored search vectors are rebuilt with them
(a generated column: dropped and added again, with its index)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import UnaccentExtension
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations, models
from django.db.models import Case, Value, When

# (configuration made here, configuration copied, dictionary after unaccent)
CONFIGURATIONS = [
    ("tracker_english", "english", "english_stem"),
    ("tracker_french", "french", "french_stem"),
    ("tracker_spanish", "spanish", "spanish_stem"),
    ("tracker_arabic", "arabic", "arabic_stem"),
    ("tracker_russian", "russian", "russian_stem"),
    ("tracker_simple", "simple", "simple"),
]
# The token types that can hold letters outside ASCII (the ascii* ones need no folding).
TOKENS = "word, hword, hword_part"

CREATE = "\n".join(
    f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base});\n"
    f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {TOKENS} WITH unaccent, {dictionary};"
    for name, base, dictionary in CONFIGURATIONS
)
DROP = "\n".join(
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};" for name, _base, _d in CONFIGURATIONS
)

LANGUAGES = {
    "en": "tracker_english",
    "fr": "tracker_french",
    "es": "tracker_spanish",
    "ar": "tracker_arabic",
    "ru": "tracker_russian",
    "zh-hans": "tracker_simple",
}


def vector(configs):
    return Case(
        *(
            When(language=language, then=SearchVector("text", config=Value(config)))
            for language, config in configs.items()
        ),
        default=SearchVector("text", config=Value(configs["zh-hans"])),
    )


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0010_import_languages_and_text_hashes")]

    operations = [
        UnaccentExtension(),
        migrations.RunSQL(CREATE, DROP),
        migrations.RemoveIndex(model_name="recommendationtext", name="rec_text_search_idx"),
        migrations.RemoveField(model_name="recommendationtext", name="search_vector"),
        migrations.AddField(
            model_name="recommendationtext",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True, expression=vector(LANGUAGES), output_field=SearchVectorField()
            ),
        ),
        migrations.AddIndex(
            model_name="recommendationtext",
            index=GinIndex(fields=["search_vector"], name="rec_text_search_idx"),
        ),
    ]
