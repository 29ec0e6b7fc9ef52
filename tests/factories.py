"""factory_boy factories for every model of the region's core."""

import datetime

import factory
from django.contrib.auth.hashers import make_password

from emslirp.models import (
    LocalAuthority,
    LocalAuthorityAlias,
    MemorandumOfUnderstanding,
    MouSignature,
    Post,
    PostKind,
    Region,
    User,
)

TEST_PASSWORD = "a-long-test-password-42"
# Hashed once for the whole run: hashing is slow on purpose.
_TEST_PASSWORD_HASH = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Test Region {n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Testshire {n}")
    active_from = datetime.date(1974, 4, 1)
    active_to = None


class LocalAuthorityAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthorityAlias

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Testalias {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    password = _TEST_PASSWORD_HASH


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    holder = factory.SubFactory(UserFactory)
    kind = PostKind.DCS
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    region = None
    started_on = datetime.date(2020, 1, 1)
    ended_on = None

    class Params:
        coordinator = factory.Trait(
            kind=PostKind.COORDINATOR,
            local_authority=None,
            region=factory.SubFactory(RegionFactory),
        )


class MemorandumOfUnderstandingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemorandumOfUnderstanding

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    commenced_on = datetime.date(2026, 4, 1)
    review_on = datetime.date(2027, 4, 1)


class MouSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MouSignature

    memorandum = factory.SubFactory(MemorandumOfUnderstandingFactory)
    signatory_post = PostKind.DCS
    signed_by = factory.SubFactory(UserFactory)
    signed_on = datetime.date(2026, 4, 1)
