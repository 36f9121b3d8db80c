"""A starting synonym list (staff edit it on the synonym page)."""

from django.db import migrations

DEFAULT_GROUPS = [
    "Obdachlose, Wohnungslose, obdachlos, wohnungslos",
    "Geflüchtete, Flüchtlinge, Schutzsuchende",
    "Corona, COVID-19, SARS-CoV-2, Pandemie",
    "Senior*innen, Senioren, Ältere",
    "Impfung, Schutzimpfung, Vakzinierung",
    "Hotline, Bürgertelefon, Infotelefon",
    "Ehrenamt, Freiwillige, Ehrenamtliche",
    "Quarantäne, Isolation, Absonderung",
    "Gesundheitsamt, Gesundheitsbehörde",
    "Krisenstab, Stab für außergewöhnliche Ereignisse, SAE",
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for terms in DEFAULT_GROUPS:
        Synonym.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(terms__in=DEFAULT_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]

    operations = [migrations.RunPython(seed, unseed)]
