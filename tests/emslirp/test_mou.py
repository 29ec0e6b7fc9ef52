"""R4: the Memorandum of Understanding, signed by the LA's DCS, Lead Member and Chief Executive."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from emslirp import services
from emslirp.models import MemorandumOfUnderstanding, PostKind
from tests.factories import MemorandumOfUnderstandingFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def memorandum(la):
    return MemorandumOfUnderstandingFactory(
        local_authority=la("Rutland"), commenced_on=D(2026, 4, 1)
    )


def test_the_post_holder_on_the_day_signs(memorandum):
    chief = UserFactory(full_name="Cleo Chief")
    PostFactory(
        holder=chief,
        kind=PostKind.CHIEF_EXECUTIVE,
        local_authority=memorandum.local_authority,
        started_on=D(2025, 1, 1),
    )
    signature = services.mou_sign(
        memorandum=memorandum, signatory_post=PostKind.CHIEF_EXECUTIVE, by=chief, on=D(2026, 4, 2)
    )
    assert [(s.signatory_post, s.signed_by, s.signed_on) for s in memorandum.signatures.all()] == [
        (PostKind.CHIEF_EXECUTIVE, chief, D(2026, 4, 2))
    ]
    assert signature.pk is not None


def test_someone_else_cannot_sign_for_the_post(memorandum, la):
    dcs_elsewhere = UserFactory(full_name="Dora Elsewhere")
    PostFactory(
        holder=dcs_elsewhere,
        kind=PostKind.DCS,
        local_authority=la("Derbyshire"),
        started_on=D(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.mou_sign(
            memorandum=memorandum, signatory_post=PostKind.DCS, by=dcs_elsewhere, on=D(2026, 4, 2)
        )
    assert refused.value.message_dict == {
        "signed_by": [
            "Dora Elsewhere was not the Director of Children's Services of Rutland on 2 April 2026."
        ]
    }
    assert memorandum.signatures.count() == 0


def test_a_former_dcs_cannot_sign_after_leaving(memorandum):
    former = UserFactory()
    PostFactory(
        holder=former,
        kind=PostKind.DCS,
        local_authority=memorandum.local_authority,
        started_on=D(2020, 1, 1),
        ended_on=D(2026, 3, 31),
    )
    with pytest.raises(ValidationError):
        services.mou_sign(
            memorandum=memorandum, signatory_post=PostKind.DCS, by=former, on=D(2026, 4, 1)
        )


def test_each_post_signs_once(memorandum):
    dcs = UserFactory()
    PostFactory(
        holder=dcs,
        kind=PostKind.DCS,
        local_authority=memorandum.local_authority,
        started_on=D(2025, 1, 1),
    )
    services.mou_sign(memorandum=memorandum, signatory_post=PostKind.DCS, by=dcs, on=D(2026, 4, 1))
    with pytest.raises(ValidationError) as refused:
        services.mou_sign(
            memorandum=memorandum, signatory_post=PostKind.DCS, by=dcs, on=D(2026, 4, 2)
        )
    assert "That post has already signed this memorandum." in str(refused.value)


def test_data_specialist_is_not_a_signatory(memorandum):
    with pytest.raises(ValidationError):
        services.mou_sign(
            memorandum=memorandum,
            signatory_post=PostKind.DATA_SPECIALIST,
            by=UserFactory(),
            on=D(2026, 4, 1),
        )


def test_review_date_must_follow_commencement(la):
    with pytest.raises(Exception) as refused:
        MemorandumOfUnderstanding.objects.create(
            local_authority=la("Rutland"), commenced_on=D(2026, 4, 1), review_on=D(2026, 4, 1)
        )
    assert "mou_review_after_commencement" in str(refused.value)


def test_nobody_signs_before_the_memorandum_commences(memorandum):
    dcs = UserFactory()
    PostFactory(
        holder=dcs,
        kind=PostKind.DCS,
        local_authority=memorandum.local_authority,
        started_on=D(2025, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.mou_sign(
            memorandum=memorandum, signatory_post=PostKind.DCS, by=dcs, on=D(2026, 3, 31)
        )
    assert refused.value.message_dict == {
        "signed_on": ["The memorandum commences on 1 April 2026: it cannot be signed before that."]
    }
    assert not memorandum.signatures.exists()
