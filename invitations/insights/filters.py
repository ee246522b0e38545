"""The dashboard's filters (period and platform), read from GET and shared with the CSV exports."""

from django import forms

from invitations.insights.metrics import DEFAULT_PERIOD, PERIODS, Filters
from invitations.models import Platform


class DashboardFilterForm(forms.Form):
    period = forms.TypedChoiceField(
        choices=[(days, f"Last {days} days") for days in PERIODS], coerce=int, required=False,
        initial=DEFAULT_PERIOD,
    )
    platform = forms.ChoiceField(choices=[("", "All platforms"), *Platform.choices], required=False)

    def filters(self):
        """The chosen Filters; the defaults where a value was missing or invalid (errors stay on the form)."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = self.cleaned_data
        return Filters(days=data.get("period") or DEFAULT_PERIOD, platform=data.get("platform") or "")


def filters_from(request):
    """(form, Filters) from the query string; a bad value is reported and replaced by its default."""
    form = DashboardFilterForm(request.GET or None)
    return form, form.filters() if form.is_bound else Filters()
