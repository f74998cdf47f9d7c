"""What the learner's pages show, put together from the catalog and the learner's state.

Views stay thin: they parse the request and call one builder here (``*_page_build``), which
calls the catalog's and learning's selectors and returns plain objects for the templates.
Nothing here writes.

- ``labels``: translated labels, state icons, node addresses;
- ``outline``: the roadmap page (outline and map marks), outline skeletons;
- ``resources``: node pages, resource lists and their filters;
- ``overview``: home and My progress.
"""

from learnmap.learning.pages.labels import (
    STATES,
    NodeUrls,
    kind_heading,
    node_key_url,
    price_label,
    state_action_label,
    state_icon_html,
    state_label,
    vocab_label,
)
from learnmap.learning.pages.listing import node_is_paged, resources_grouped
from learnmap.learning.pages.outline import (
    OutlineNode,
    RoadmapPage,
    learner_touches_roadmap,
    roadmap_page_build,
    roadmap_page_from,
    row_values,
    shown_state,
)
from learnmap.learning.pages.overview import home_is_shared, home_page_build, progress_page_build
from learnmap.learning.pages.resources import (
    FilterState,
    NodePage,
    ResourcesPage,
    filters_from_query,
    node_page_build,
    resources_page_build,
)
from learnmap.learning.pages.skeleton import outline_rows

__all__ = [
    "STATES",
    "FilterState",
    "NodePage",
    "NodeUrls",
    "OutlineNode",
    "ResourcesPage",
    "RoadmapPage",
    "filters_from_query",
    "home_is_shared",
    "home_page_build",
    "kind_heading",
    "learner_touches_roadmap",
    "node_is_paged",
    "node_key_url",
    "node_page_build",
    "outline_rows",
    "price_label",
    "progress_page_build",
    "resources_grouped",
    "resources_page_build",
    "roadmap_page_build",
    "roadmap_page_from",
    "row_values",
    "shown_state",
    "state_action_label",
    "state_icon_html",
    "state_label",
    "vocab_label",
]
