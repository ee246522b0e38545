"""`/settings/`: when and how noghost reaches the user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from invitations.forms.settings import SettingsForm


@login_required
def settings(request):
    """Name and signature, time zone, digest hour, reply window and the two switches; a bad value changes nothing."""
    form = SettingsForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("settings")
    return render(request, "invitations/settings.html", {"form": form}, status=400 if form.errors else 200)
