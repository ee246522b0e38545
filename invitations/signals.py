"""Every user has a Profile and a forwarding address from the moment they exist, so
`user.profile` never fails and /settings/ can show the address without writing on a GET."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from invitations.models import InboundAddress, Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="invitations.create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
        InboundAddress.objects.get_or_create(owner=instance)
