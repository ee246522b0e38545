"""The first run: a welcome on `/` for a user with no invitations yet, saved through /welcome/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from invitations.forms.welcome import WelcomeForm


@login_required
@require_POST
def welcome(request):
    form = WelcomeForm(request.POST, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Saved. Now log your first invitation, or let noghost read them from your e-mail.")
        return redirect("dashboard")
    return render(request, "invitations/welcome.html", {"welcome": form}, status=400)
