"""Problem details for every error, the OpenAPI document and docs page, and the health checks."""

from __future__ import annotations

import json
import re

import pytest
from django.db import OperationalError
from django.test import Client

from learnmap.catalog import selectors as catalog_selectors
from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_a_server_error_is_a_problem_without_a_traceback(seeded, anon, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("secret internals: /srv/learnmap/settings.py line 42")

    monkeypatch.setattr(catalog_selectors, "roadmap_list", broken)
    response = anon.get("/roadmaps")
    assert_problem(response, 500, "server_error")
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert "secret internals" in caplog.text  # logged for the operators


def test_a_server_error_leaks_nothing_in_debug_either(seeded, anon, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(
        catalog_selectors, "roadmap_list", lambda **kw: (_ for _ in ()).throw(KeyError("x"))
    )
    response = anon.get("/roadmaps")
    assert_problem(response, 500)
    assert "KeyError" not in response.content.decode()


def test_unknown_endpoints_and_versions_are_404_problems(anon):
    assert_problem(anon.get("/nothing-here"), 404, "unknown_endpoint")
    response = Client().get("/api/v2/roadmaps")
    assert_problem(response, 404, "unknown_endpoint")


def test_a_method_an_endpoint_lacks_is_a_405_problem(anon, db):
    response = anon.send("DELETE", "/roadmaps")
    body = assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET" and "DELETE" in body["detail"]


def test_the_api_root_points_at_the_docs(anon):
    assert anon.get("/").json()["docs"] == "/api/v1/docs"


def test_the_openapi_document_is_31_and_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    operations = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, methods in schema["paths"].items()
        for method in methods
    }
    assert operations == {
        ("GET", "/roadmaps"),
        ("GET", "/roadmaps/{slug}"),
        ("GET", "/roadmaps/{slug}/markdown"),
        ("GET", "/roadmaps/{slug}/document"),
        ("GET", "/resources"),
        ("GET", "/search"),
        ("GET", "/me"),
        ("GET", "/me/tokens"),
        ("POST", "/me/tokens"),
        ("DELETE", "/me/tokens/{token_id}"),
        ("GET", "/me/progress/{slug}"),
        ("PUT", "/me/progress/nodes/{key}"),
        ("PUT", "/me/progress/resources/{key}"),
        ("PUT", "/me/electives/{key}"),
        ("GET", "/me/notes/{key}"),
        ("PUT", "/me/notes/{key}"),
        ("DELETE", "/me/notes/{key}"),
        ("GET", "/me/export"),
        ("POST", "/me/import"),
        ("POST", "/proposals"),
        ("GET", "/me/proposals"),
        ("GET", "/me/proposals/{proposal_id}"),
        ("GET", "/roadmaps/{slug}/proposals"),
        ("GET", "/proposals/{proposal_id}"),
        ("POST", "/proposals/{proposal_id}/accept"),
        ("POST", "/proposals/{proposal_id}/decline"),
        ("POST", "/proposals/{proposal_id}/request-changes"),
        ("GET", "/roadmaps/{slug}/history"),
        ("GET", "/roadmaps/{slug}/history/{change_id}"),
    }
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary") and operation.get("description"), (method, path)
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    assert list(answer["content"]) == ["application/problem+json"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    paths = schema["paths"]
    assert "security" not in paths["/api/v1/roadmaps/{slug}"]["get"]  # public
    assert paths["/api/v1/search"]["get"]["security"][-1] == {}  # anyone, or a caller
    assert {} not in paths["/api/v1/me/export"]["get"]["security"]  # a caller only
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_every_schema_lists_its_fields_and_has_an_example(client):
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name, schema in components.items():
        if schema.get("type") != "object":
            continue
        assert schema.get("properties"), name
        assert schema.get("examples"), f"{name} has no example"


def test_the_docs_page_works_without_the_internet(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    # Every script and stylesheet comes from this site (the CSRF token in the page is random
    # text: a check for "cdn" anywhere in the page failed when a token happened to hold it).
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses and all(url.startswith("/") and not url.startswith("//") for url in addresses)
    assert "://" not in page
    scripts = re.findall(r'(?:src|href)="(/api/v1/docs/assets/[^"]+)"', page)
    assert len(scripts) == 4
    for url in scripts:
        asset = client.get(url)
        assert asset.status_code == 200 and b"".join(asset.streaming_content)
    assert '"url": "/api/v1/openapi.json"' in page
    assert client.get("/api/v1/docs/assets/redoc.standalone.js").status_code == 404
    assert client.get("/api/v1/docs/assets/..%2F__init__.py").status_code == 404


# --- health ------------------------------------------------------------------------------------


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok"}


def test_health_checks_answer_whatever_the_host_header(client):
    # Load balancers probe an instance by its address, which ALLOWED_HOSTS does not list.
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_readyz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    from learnmap.core import health

    class Down:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "database_unavailable"
    assert client.get("/healthz").status_code == 200  # the process itself is fine


def test_the_openapi_document_is_valid_openapi(client):
    from openapi_spec_validator import validate

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicated keys in {keys}"
        return dict(pairs)

    content = client.get("/api/v1/openapi.json").content
    validate(json.loads(content, object_pairs_hook=no_duplicates))
