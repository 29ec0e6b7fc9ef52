"""A model guarded the way later apps guard theirs, to test ``emslirp.object_permissions``
before the first real one exists. Installed only by ``tests.settings``."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from emslirp.models import LocalAuthority


class Dossier(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE)
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "guarded"

    def __str__(self):
        return self.title


class DossierUserGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        app_label = "guarded"


class DossierGroupGrant(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Dossier, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        app_label = "guarded"


class Unguarded(models.Model):
    title = models.CharField(max_length=100)

    class Meta:
        app_label = "guarded"

    def __str__(self):
        return self.title
