"""R29: object grants live in each guarded model's own tables, and go with the object."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from guardian.models import UserObjectPermission

from emslirp import object_permissions
from tests.factories import UserFactory
from tests.guarded.models import Dossier, DossierUserGrant, Unguarded

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(la):
    return Dossier.objects.create(local_authority=la("Rutland"), title="Rutland 2026")


def test_a_grant_is_stored_in_the_models_own_table(dossier):
    reviewer = UserFactory()
    object_permissions.object_grant(perm="guarded.view_dossier", person=reviewer, obj=dossier)
    assert reviewer.has_perm("guarded.view_dossier", dossier)
    assert DossierUserGrant.objects.filter(user=reviewer, content_object=dossier).count() == 1
    assert UserObjectPermission.objects.count() == 0


def test_a_grant_covers_its_object_only(dossier, la):
    reviewer = UserFactory()
    other = Dossier.objects.create(local_authority=la("Derby City"), title="Derby 2026")
    object_permissions.object_grant(perm="view_dossier", person=reviewer, obj=dossier)
    assert not reviewer.has_perm("guarded.view_dossier", other)
    assert not reviewer.has_perm("guarded.change_dossier", dossier)
    assert not UserFactory().has_perm("guarded.view_dossier", dossier)


def test_revoking_removes_the_right_at_once(dossier):
    reviewer = UserFactory()
    object_permissions.object_grant(perm="view_dossier", person=reviewer, obj=dossier)
    object_permissions.object_revoke(perm="view_dossier", person=reviewer, obj=dossier)
    # A fresh instance: the backend caches answers on the user object.
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    assert not reviewer.has_perm("guarded.view_dossier", dossier)
    assert list(object_permissions.object_grantees(perm="view_dossier", obj=dossier)) == []


def test_deleting_the_object_deletes_its_grants(dossier):
    reviewer = UserFactory()
    object_permissions.object_grant(perm="view_dossier", person=reviewer, obj=dossier)
    dossier.delete()
    assert DossierUserGrant.objects.count() == 0


def test_grantees_are_named_people_in_order(dossier):
    names = ["Zoe Last", "Abe First"]
    for name in names:
        object_permissions.object_grant(
            perm="view_dossier", person=UserFactory(full_name=name), obj=dossier
        )
    UserFactory(is_superuser=True, is_staff=True)
    grantees = object_permissions.object_grantees(perm="view_dossier", obj=dossier)
    assert [p.full_name for p in grantees] == ["Abe First", "Zoe Last"]


def test_a_model_without_its_own_tables_is_refused():
    thing = Unguarded.objects.create(title="loose")
    with pytest.raises(ImproperlyConfigured, match=r"guarded\.Unguarded has no direct-foreign-key"):
        object_permissions.object_grant(perm="view_unguarded", person=UserFactory(), obj=thing)
    assert UserObjectPermission.objects.count() == 0


def test_a_permission_of_another_model_is_refused(dossier):
    with pytest.raises(ValueError, match=r"emslirp\.view_post is not a permission of"):
        object_permissions.object_grant(perm="emslirp.view_post", person=UserFactory(), obj=dossier)


@pytest.mark.parametrize("count", [1, 3])
def test_the_checker_asks_once_for_a_whole_list(la, count, django_assert_num_queries):
    reviewer = UserFactory()
    dossiers = [
        Dossier.objects.create(local_authority=la("Rutland"), title=f"D{i}") for i in range(count)
    ]
    object_permissions.object_grant(perm="view_dossier", person=reviewer, obj=dossiers[0])
    queryset = Dossier.objects.order_by("pk")
    # The same number of queries for one dossier or three: none per row.
    with django_assert_num_queries(4):
        checker = object_permissions.object_checker(person=reviewer, objects=queryset)
        answers = [checker.has_perm("view_dossier", d) for d in queryset]
    assert answers == [True] + [False] * (count - 1)
