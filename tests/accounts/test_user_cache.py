"""The signed-in user of a request comes from the shared cache: a copy of its own for each
request, read again from the database once the user is saved, and an unreadable entry is a
miss."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from learnmap.accounts.selectors import _user_key, user_get
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_request_gets_its_own_copy_and_a_save_shows_at_once(django_assert_num_queries):
    user = UserFactory()
    first = user_get(user_id=user.pk)
    with django_assert_num_queries(0):
        second = user_get(user_id=str(user.pk))

    first.first_name = "Changed by one request"
    assert second is not first and user_get(user_id=user.pk).first_name == user.first_name
    user.is_active = False
    user.save()
    assert user_get(user_id=user.pk).is_active is False


def test_an_entry_of_another_type_is_a_miss():
    user = UserFactory()
    user_get(user_id=user.pk)
    cache.set(_user_key(user.pk), "garbage")

    assert user_get(user_id=user.pk) == user
    assert user_get(user_id="not a number") is None
