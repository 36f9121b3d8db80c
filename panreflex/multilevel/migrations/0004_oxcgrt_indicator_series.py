from django.db import migrations, models


def load(apps, schema_editor):
    from panreflex.multilevel.reference import load_series

    load_series(apps.get_model("multilevel", "Series"), apps.get_model("places", "Place"))


class Migration(migrations.Migration):
    """The daily OxCGRT indicators for Germany as series (shown under a navigator topic's events)."""

    dependencies = [("multilevel", "0003_link_reflection_contact_consent_topic"), ("places", "0002_reference_places")]
    operations = [
        migrations.AlterField(
            model_name="series", name="kind",
            field=models.CharField(choices=[("incidence", "7-day incidence per 100,000"),
                                            ("icu", "ICU beds occupied by COVID-19 patients (%)"),
                                            ("stringency", "OxCGRT stringency index (0–100)"),
                                            ("indicator", "OxCGRT indicator (daily level)"),
                                            ("other", "Other series")],
                                   max_length=20, verbose_name="kind"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
