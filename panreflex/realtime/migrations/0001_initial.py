from django.db import migrations, models
import django.utils.timezone


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Presence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("room", models.CharField(db_index=True, max_length=100)),
                ("channel_name", models.CharField(max_length=200, unique=True)),
                ("person", models.CharField(max_length=100)),
                ("label", models.CharField(max_length=200)),
                ("connected_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"ordering": ["label", "id"],
                     "indexes": [models.Index(fields=["room", "person"], name="realtime_presence_person")]},
        ),
    ]
