"""`/settings/`: when and how noghost reaches the user."""

from django.conf import settings as config
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from invitations.forms.settings import SettingsForm
from invitations.intake.addresses import address_for, replace_address
from invitations.views.calendar import calendar_address


@login_required
def settings(request):
    """Name and signature, time zone, digest hour, reply window and the two switches; a bad value changes nothing."""
    form = SettingsForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("settings")
    context = {"form": form, "address": f"{address_for(request.user).token}@{config.INBOUND_DOMAIN}",
               "calendar_url": calendar_address(request.user)}
    return render(request, "invitations/settings.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def replace_inbound_address(request):
    """A new forwarding address; mail to the old one is refused from now on."""
    address = replace_address(request.user)
    messages.success(request, f"Your new forwarding address is {address.token}@{config.INBOUND_DOMAIN}; "
                              "the old one no longer takes mail. Update your forwarding rule.")
    return redirect("settings")
