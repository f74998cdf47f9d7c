"""Learning services (writes). Import from here: ``from learnmap.learning import services``."""

from learnmap.learning.services.checklist import progress_checklist_markdown
from learnmap.learning.services.merging import (
    MergeCounts,
    MergeSummary,
    progress_merge_session,
)
from learnmap.learning.services.portability import (
    ImportSummary,
    progress_export,
    progress_import,
    progress_json_load,
)
from learnmap.learning.services.progress import (
    elective_set,
    note_save,
    preferences_filters_set,
    progress_set,
    resource_progress_set,
)
from learnmap.learning.services.retired_marks import retired_marks_clear
from learnmap.learning.services.visits import visit_mark_seen, visit_record

__all__ = [
    "ImportSummary",
    "MergeCounts",
    "MergeSummary",
    "elective_set",
    "note_save",
    "preferences_filters_set",
    "progress_checklist_markdown",
    "progress_export",
    "progress_import",
    "progress_json_load",
    "progress_merge_session",
    "progress_set",
    "resource_progress_set",
    "retired_marks_clear",
    "visit_mark_seen",
    "visit_record",
]
