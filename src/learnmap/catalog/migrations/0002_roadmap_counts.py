"""Each roadmap keeps the size of its active content (sections, topics, resources), so the
listings (home page, API, ``learnmap roadmaps``) read three columns instead of joining every
node and resource. The import writes them from now on; this fills them for the roadmaps
imported before."""

from django.db import migrations, models


def fill_counts(apps, schema_editor):
    Roadmap = apps.get_model("catalog", "Roadmap")
    Node = apps.get_model("catalog", "Node")
    Resource = apps.get_model("catalog", "Resource")
    for roadmap in Roadmap.objects.only("id").iterator():
        nodes = Node.objects.filter(roadmap_id=roadmap.id, retired_at__isnull=True)
        Roadmap.objects.filter(id=roadmap.id).update(
            section_count=nodes.filter(node_type="section").count(),
            topic_count=nodes.filter(node_type="topic").count(),
            resource_count=Resource.objects.filter(
                roadmap_id=roadmap.id, retired_at__isnull=True
            ).count(),
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="roadmap",
            name="section_count",
            field=models.PositiveIntegerField(default=0, help_text="Active sections."),
        ),
        migrations.AddField(
            model_name="roadmap",
            name="topic_count",
            field=models.PositiveIntegerField(default=0, help_text="Active topics."),
        ),
        migrations.AddField(
            model_name="roadmap",
            name="resource_count",
            field=models.PositiveIntegerField(default=0, help_text="Active resources."),
        ),
        migrations.RunPython(fill_counts, migrations.RunPython.noop, elidable=True),
    ]
