"""deploy/nginx.conf is one file for both ways of running the topology: compose.yaml and
deploy/topology/topology.py fill the same placeholders, and nothing else differs."""

from __future__ import annotations

import re

import pytest
import yaml

from deploy.topology.topology import NGINX_TEMPLATE, ROOT, TopologyError, render_nginx

PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def test_compose_gives_nginx_every_placeholder_of_nginx_conf():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    environment = compose["services"]["nginx"]["environment"]
    values = {name: str(value) for name, value in environment.items()}

    rendered = render_nginx(NGINX_TEMPLATE.read_text(), values)

    assert PLACEHOLDER.findall(NGINX_TEMPLATE.read_text())
    assert "server app1:8000 " in rendered
    assert "proxy_cache_path /var/cache/nginx/learnmap " in rendered


def test_a_placeholder_without_a_value_is_an_error_naming_its_line():
    template = "events {}\nhttp {\n    server ${LEARNMAP_APP3};\n}\n"

    with pytest.raises(
        TopologyError, match=r"nginx.conf, line 3: no value for \$\{LEARNMAP_APP3\}"
    ):
        render_nginx(template, {"LEARNMAP_APP1": "x"})
