"""Each resource keeps its formats ("PDF", "EPUB") and the tags Learnmap gives no meaning to,
as written ("Chapter 3"). The import writes them from now on; this fills them for the
resources imported before, from the roadmap's stored Markdown (the file of its last import),
without moving their ``updated_at``: the next import then sees no change where there is none,
and "what's new" does not mark every tagged resource of every roadmap."""

from django.db import migrations, models

from learnmap import roadmap_md
from learnmap.catalog.resource_tags import resource_tags


def _parsed_tags(source: str) -> dict:
    """Each resource of the Markdown by (line, URL, link text): what picks out a stored row
    (its ``line``, ``url`` and ``link_text`` are those of the last import)."""
    try:
        document = roadmap_md.parse(source)
    except Exception:  # noqa: BLE001  # read by an older parser: the next import fills it
        return {}
    found = {}
    for item in document.resources:
        found.setdefault((item.line, item.url, item.link_text), resource_tags(item))
    return found


def fill_tags(apps, schema_editor):
    Roadmap = apps.get_model("catalog", "Roadmap")
    Resource = apps.get_model("catalog", "Resource")
    for roadmap in Roadmap.objects.only("id", "source").iterator():
        parsed = _parsed_tags(roadmap.source)
        changed = []
        rows = Resource.objects.filter(roadmap_id=roadmap.id, retired_at__isnull=True)
        for row in rows.only("id", "line", "url", "link_text"):
            tags = parsed.get((row.line, row.url, row.link_text))
            if tags is None or (not tags.formats and not tags.tags):
                continue
            row.formats, row.formats_index = list(tags.formats), tags.formats_index
            row.tags, row.tags_text = list(tags.tags), tags.tags_text
            changed.append(row)
        Resource.objects.bulk_update(
            changed, ["formats", "formats_index", "tags", "tags_text"], batch_size=500
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_roadmap_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="formats",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="resource",
            name="formats_index",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="resource",
            name="tags",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="resource",
            name="tags_text",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(fill_tags, migrations.RunPython.noop, elidable=True),
    ]
