"""`learnmap import FILE --dry-run [--rename "Old=New" ...]`: the plan printed, nothing written;
`--rename` on the real import too."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from learnmap.catalog.models import Node, Resource
from learnmap.learning import services as learning_services
from learnmap.learning.learners import UserLearner
from tests.catalog.conftest import SEED
from tests.factories import UserFactory

SLUG = "python-backend"
OWASP = "- [OWASP Top 10](https://owasp.org/www-project-top-ten/) (English) (Free)\n"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, "--slug", SLUG, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_dry_run_lists_what_is_retired_with_the_learners_marks_and_writes_nothing(tmp_path):
    run(str(SEED))
    learners = [UserLearner(user=UserFactory()) for _ in range(3)]
    for learner in learners:
        learning_services.progress_set(
            learner=learner, node=Node.objects.get(title="Caching"), state="done"
        )
    owasp = Resource.objects.get(title="OWASP Top 10")
    learning_services.resource_progress_set(learner=learners[0], resource=owasp, done=True)
    edited = tmp_path / "python-backend.md"
    edited.write_text(
        SEED.read_text(encoding="utf-8")
        .replace("## Caching\n\n(In Progress)\n\n", "")
        .replace(OWASP, "")
        .replace("## Container Platforms\n", "## Docker and Kubernetes\n")
        .replace("## Security\n", "## Security\n\n- [New Link](https://new.example/)\n"),
        encoding="utf-8",
    )
    before = list(Node.objects.order_by("id").values()), list(Resource.objects.values())

    printed = run(str(edited), "--dry-run")
    assert "Dry run" in printed and "nothing was written" in printed
    assert "- retired: 'Caching', 3 learners have marks on it" in printed
    assert "- retired: 'OWASP Top 10', 1 learner has marks on it" in printed
    assert "+ added: 'New Link' (line" in printed
    assert "= 'Docker and Kubernetes' (line" in printed and "was 'Container Platforms'" in printed
    assert "(matched by urls: same links)" in printed
    assert (list(Node.objects.order_by("id").values()), list(Resource.objects.values())) == before


@pytest.mark.django_db
def test_rename_pins_a_pairing_on_the_real_import_and_a_bad_one_is_refused(tmp_path):
    run(str(SEED))
    where = Node.objects.get(title="Where to Go Next?")
    edited = tmp_path / "python-backend.md"
    edited.write_text(
        SEED.read_text(encoding="utf-8")
        .replace("## Where to Go Next?\n", "## Further Reading\n")
        .replace("## Who to Follow Then?\n", "## People Worth Following\n"),
        encoding="utf-8",
    )
    printed = run(str(edited), "--dry-run", "--rename", "Where to Go Next?=Further Reading")
    assert "(matched by pinned: pinned by a rename)" in printed
    assert "(matched by neighbours: same place among unchanged neighbours)" in printed

    with pytest.raises(CommandError, match="'Where to Go Later\\?'"):
        run(str(edited), "--rename", "Where to Go Later?=Further Reading")
    assert Node.objects.get(key=where.key).title == "Where to Go Next?"

    run(str(edited), "--rename", "Where to Go Next?=Further Reading")
    assert Node.objects.get(key=where.key).title == "Further Reading"
    assert not Node.objects.filter(retired_at__isnull=False).exists()


def test_the_installed_command_prints_the_plan(learnmap, learnmap_env, tmp_path):
    learnmap_env.pop("DATABASE_URL", None)  # its own SQLite, whatever the suite runs on
    assert learnmap("import", str(SEED), "--slug", SLUG).returncode == 0
    edited = tmp_path / "edited.md"
    edited.write_text(
        SEED.read_text(encoding="utf-8").replace("## Caching\n", "## Caching Strategies\n"),
        encoding="utf-8",
    )
    dry = learnmap("import", str(edited), "--slug", SLUG, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "was 'Caching' (matched by title-words: title words)" in dry.stdout
    exported = learnmap("export", SLUG)
    assert exported.stdout == SEED.read_text(encoding="utf-8"), "the dry run wrote nothing"
