"""`/settings/`: when and how noghost reaches the user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from invitations.forms.settings import SettingsForm
from invitations.views.calendar import calendar_address


@login_required
def settings(request):
    """Time zone, digest hour, reply window and the two switches; a bad value changes nothing."""
    form = SettingsForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("settings")
    return render(request, "invitations/settings.html", {
        "form": form, "calendar_url": calendar_address(request.user),
    }, status=400 if form.errors else 200)
