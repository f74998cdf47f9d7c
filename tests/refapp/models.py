from django.db import models


class Bookmark(models.Model):
    """Something outside the catalog that points at a node or a resource."""

    node = models.ForeignKey("catalog.Node", null=True, on_delete=models.CASCADE)
    resource = models.ForeignKey("catalog.Resource", null=True, on_delete=models.CASCADE)

    class Meta:
        app_label = "refapp"

    def __str__(self) -> str:
        return f"bookmark of {self.resource_id or self.node_id}"
