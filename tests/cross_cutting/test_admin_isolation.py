"""Rule 7 in the admin: every list, form, action and autocomplete is scoped to its owner.

Bob is staff with every permission there is (users', groups' and the task queue's included) and
asks for, changes and deletes Alice's rows by id. Admin models are discovered (tests/support/isolation.py).
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import reverse

from invitations.accounts import make_freelancer
from invitations.models import FollowUp, Heartbeat, Invitation
from tests.support.isolation import (
    admin_models,
    admin_url,
    assert_no_alice_text,
    make_world,
    owned_by,
    owned_models,
    refused_by_admin,
    snapshot,
)

pytestmark = pytest.mark.django_db
ADMIN_MODELS = {model._meta.label: (model, model_admin) for model, model_admin in admin_models()}
OWNED_ADMIN_MODELS = sorted(label for label, (model, _) in ADMIN_MODELS.items() if model in owned_models())
# Rows that belong to a person (the user model: their own row) or to nobody in particular.
OTHER_ADMIN_MODELS = sorted(set(ADMIN_MODELS) - set(OWNED_ADMIN_MODELS))


@pytest.mark.parametrize("label", OWNED_ADMIN_MODELS + [get_user_model()._meta.label])
def test_admin_refuses_someone_elses_rows_by_id(bobs_client, alice, alices_world, unchanged, label):
    model, _ = ADMIN_MODELS[label]
    rows = owned_by(model, alice)
    with unchanged():
        for pk in rows.values_list("pk", flat=True):
            for view in ("change", "delete", "history"):
                url = admin_url(model, view, pk)
                got = bobs_client.get(url)
                assert refused_by_admin(got), f"GET {url}: {got.status_code}"
                assert_no_alice_text(got)
            assert refused_by_admin(bobs_client.post(admin_url(model, "change", pk), {}))
            assert refused_by_admin(bobs_client.post(admin_url(model, "delete", pk), {"post": "yes"}))
    assert rows.count() == len(rows)


@pytest.mark.parametrize("label", OWNED_ADMIN_MODELS)
def test_admin_lists_show_none_of_someone_elses_rows(bobs_client, alice, alices_world, label):
    model, _ = ADMIN_MODELS[label]
    alices = set(owned_by(model, alice).values_list("pk", flat=True))
    for query in ({}, {"q": "Alice"}, {"all": ""}):
        response = bobs_client.get(admin_url(model, "changelist"), query)
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert not {obj.pk for obj in response.context["cl"].result_list} & alices
            assert_no_alice_text(response)


@pytest.mark.parametrize("label", OWNED_ADMIN_MODELS + [get_user_model()._meta.label])
def test_admin_actions_never_touch_someone_elses_rows(bobs_client, alice, bob, alices_world, unchanged, label):
    model, model_admin = ADMIN_MODELS[label]
    rows = owned_by(model, alice)
    request = RequestFactory().get("/")
    request.user = bob
    selected = [str(pk) for pk in rows.values_list("pk", flat=True)]
    with unchanged():
        for action in model_admin.get_actions(request):
            bobs_client.post(
                admin_url(model, "changelist"),
                {"action": action, "_selected_action": selected, "index": "0", "post": "yes"},
            )


@pytest.mark.parametrize("label", OTHER_ADMIN_MODELS)
def test_shared_admin_models_are_closed_to_freelancers(client, make_user, label):
    """Users, groups, the task queue, login records, heartbeats: superusers only."""
    model, _ = ADMIN_MODELS[label]
    client.force_login(make_freelancer(make_user("fred")))
    assert client.get(admin_url(model, "changelist")).status_code == 403
    assert client.get(admin_url(model, "add")).status_code == 403


SHARED_ADMIN_MODELS = [label for label in OTHER_ADMIN_MODELS if label != get_user_model()._meta.label]


@pytest.mark.parametrize("label", SHARED_ADMIN_MODELS)
def test_shared_admin_models_stay_closed_with_every_permission(bobs_client, alice, alices_world, now, label):
    """Groups, the task queue, login records, heartbeats hold everyone's traces: a permission does not open them."""
    model, _ = ADMIN_MODELS[label]
    Heartbeat.objects.create(job="sweep", last_run_at=now, last_summary="flagged 1 invitation(s) of alice")
    assert bobs_client.get(admin_url(model, "changelist")).status_code == 403
    assert bobs_client.get(admin_url(model, "add")).status_code == 403
    for pk in model._default_manager.values_list("pk", flat=True)[:3]:
        assert refused_by_admin(bobs_client.get(admin_url(model, "change", pk)))
        assert refused_by_admin(bobs_client.post(admin_url(model, "delete", pk), {"post": "yes"}))


def test_the_admin_index_offers_bob_none_of_the_shared_machinery(bobs_client):
    apps = {app["app_label"]: {m["object_name"] for m in app["models"]}
            for app in bobs_client.get(reverse("admin:index")).context["app_list"]}
    assert "django_q" not in apps and "axes" not in apps
    assert apps["auth"] == {"User"}
    assert "Heartbeat" not in apps["invitations"]


def test_a_freelancers_admin_index_lists_only_their_own_work(client, make_user, now):
    """Issue 19, item 11: no Axes, Scheduler, Heartbeats or Outbound e-mails; a freelancer's own
    undelivered mail is still one click away from the dashboard (its change page opens)."""
    fred = make_freelancer(make_user("fred"))
    client.force_login(fred)
    page = client.get(reverse("admin:index"))
    apps = {app["app_label"]: {m["object_name"] for m in app["models"]} for app in page.context["app_list"]}

    assert set(apps) == {"invitations"}
    assert "OutboundEmail" not in apps["invitations"] and "Heartbeat" not in apps["invitations"]
    for name in ("Axes", "Scheduler", "Heartbeats", "Outbound e-mails", "Access attempts"):
        assert name not in page.content.decode()
    email = make_world(fred, now=now).owner.emails.first()
    assert client.get(admin_url(type(email), "change", email.pk)).status_code == 200


def test_the_user_admin_shows_bob_only_himself(bobs_client, alice, bob):
    response = bobs_client.get(admin_url(get_user_model(), "changelist"))
    assert list(response.context["cl"].result_list) == [bob]
    assert refused_by_admin(bobs_client.get(reverse("admin:auth_user_password_change", args=[alice.pk])))
    assert refused_by_admin(bobs_client.post(reverse("admin:auth_user_password_change", args=[alice.pk]),
                                             {"password1": "n3w-Pass-word!", "password2": "n3w-Pass-word!"}))
    assert alice.password == get_user_model().objects.get(pk=alice.pk).password


def test_bob_cannot_give_himself_powers_or_make_users(bobs_client, bob):
    User = get_user_model()
    form = bobs_client.get(admin_url(User, "change", bob.pk)).context["adminform"].form
    assert not {"is_superuser", "is_staff", "is_active", "groups", "user_permissions"} & set(form.fields)
    groups, permissions = set(bob.groups.all()), set(bob.user_permissions.all())

    response = bobs_client.post(admin_url(User, "change", bob.pk), {
        "username": "bob", "email": "bob@example.com", "first_name": "Bob", "last_name": "",
        "is_superuser": "on", "is_staff": "on", "is_active": "on",
        "groups": [g.pk for g in Group.objects.all()], "user_permissions": [],
    })

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.first_name == "Bob" and not bob.is_superuser and bob.is_staff
    assert set(bob.groups.all()) == groups and set(bob.user_permissions.all()) == permissions
    assert bobs_client.get(admin_url(User, "add")).status_code == 403
    assert bobs_client.post(admin_url(User, "add"), {"username": "mallory", "password1": "x-Pass-w0rd-1",
                                                      "password2": "x-Pass-w0rd-1"}).status_code == 403
    assert refused_by_admin(bobs_client.post(admin_url(User, "delete", bob.pk), {"post": "yes"}))
    assert not User.objects.filter(username="mallory").exists() and User.objects.filter(pk=bob.pk).exists()


def offered_choices(response):
    """Every visible model choice field of the admin page's form and inline forms.

    Hidden ones (an inline row's own id) offer nothing; forging them is tested on its own below.
    """
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [*inline.formset.forms, inline.formset.empty_form]
    for form in forms:
        for name, field in form.fields.items():
            if isinstance(field, ModelChoiceField) and not field.widget.is_hidden:
                yield name, field.queryset


@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_admin_forms_offer_none_of_someone_elses_rows(bobs_client, alice, bob, alices_world, now, label):
    model, _ = ADMIN_MODELS[label]
    make_world(bob, now=now, name="Bob's own client", title="Bob's job")
    pages = [admin_url(model, "add")]
    mine = owned_by(model, bob)
    if mine is not None and mine.exists():
        pages.append(admin_url(model, "change", mine.first().pk))
    for url in pages:
        response = bobs_client.get(url)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        for name, queryset in offered_choices(response):
            alices = owned_by(queryset.model, alice)
            if alices is not None:
                assert not queryset.filter(pk__in=alices.values("pk")).exists(), f"{url} offers Alice's {name}"


@pytest.mark.parametrize("label", sorted(ADMIN_MODELS))
def test_admin_autocomplete_offers_none_of_someone_elses_rows(bobs_client, alice, alices_world, label):
    model, model_admin = ADMIN_MODELS[label]
    for field_name in model_admin.autocomplete_fields:
        response = bobs_client.get(
            reverse("admin:autocomplete"),
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name, "term": ""},
        )
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            target = model._meta.get_field(field_name).related_model
            alices = {str(pk) for pk in owned_by(target, alice).values_list("pk", flat=True)}
            assert not {row["id"] for row in response.json()["results"]} & alices


def test_admin_refuses_someone_elses_client_posted_by_id(bobs_client, alice, bob, alices_world, unchanged):
    """A forged POST naming Alice's client is refused, not just hidden from the drop-down."""
    with unchanged():
        response = bobs_client.post(
            reverse("admin:invitations_invitation_add"),
            {
                "client": alices_world.client_id, "platform": "upwork", "status": "open",
                "received_at_0": "2026-11-20", "received_at_1": "08:00:00",
                "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0",
            },
        )
    assert response.status_code == 200
    assert "client" in response.context["adminform"].form.errors


def test_admin_inline_refuses_someone_elses_followup(bobs_client, alice, bob, alices_world, now):
    """Bob edits his own invitation but names Alice's follow-up in the inline: refused."""
    bobs = make_world(bob, now=now, name="Bob's own client")
    alices_followup = FollowUp.objects.filter(invitation=alices_world).first()
    form = bobs_client.get(admin_url(Invitation, "change", bobs.pk)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "url"}
    reply_by = bobs.reply_by.astimezone(bob.profile.zone)  # kept as it is: its follow-up stays put
    data.update({
        "client": bobs.client_id, "referred_by": bobs.referred_by_id or "",
        "received_at_0": "2026-11-20", "received_at_1": "07:00:00",
        "reply_by_0": f"{reply_by:%Y-%m-%d}", "reply_by_1": f"{reply_by:%H:%M:%S}",
        "followups-TOTAL_FORMS": "1", "followups-INITIAL_FORMS": "1",
        "followups-0-id": alices_followup.pk, "followups-0-invitation": bobs.pk, "followups-0-kind": "custom",
        "followups-0-due_at_0": "2026-12-01", "followups-0-due_at_1": "09:00:00", "followups-0-note": "hijacked",
        "followups-0-DELETE": "on",
    })
    data.pop("followups", None)
    alices_rows, bobs_followups = snapshot(alice), list(FollowUp.objects.filter(owner=bob).values())

    bobs_client.post(admin_url(Invitation, "change", bobs.pk), data)

    assert snapshot(alice) == alices_rows
    assert list(FollowUp.objects.filter(owner=bob).values()) == bobs_followups


def test_admin_superuser_sees_everyone(client, alice, bob, alices_world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-1")
    client.force_login(root)
    response = client.get(admin_url(Invitation, "changelist"))
    assert alices_world in response.context["cl"].result_list


def test_every_owned_model_is_in_the_admin_with_an_owner_scoped_queryset(bob):
    request = RequestFactory().get("/")
    request.user = bob
    for label in OWNED_ADMIN_MODELS:
        model, model_admin = ADMIN_MODELS[label]
        assert str(model_admin.get_queryset(request).query).count("WHERE") >= 1, f"{label}'s admin is not scoped"
    assert admin.site.is_registered(Invitation)


def test_the_mailbox_admin_never_shows_a_password_and_folders_are_read_only(bobs_client, alice, bob, alices_world, now):
    """Bob's own mailbox: its app password is never rendered; Alice's sync state is out of his reach."""
    from invitations.models import Mailbox, MailboxFolder

    make_world(bob, now=now, name="Bob's own client", title="Bob's job")
    mine, alices = Mailbox.objects.get(owner=bob), Mailbox.objects.get(owner=alice)
    page = bobs_client.get(admin_url(Mailbox, "change", mine.pk)).content.decode()
    assert mine.password not in page and "app-secret" not in page and 'name="app_password"' in page
    assert 'name="state"' not in page and 'name="last_error"' not in page  # sync state is shown, not edited
    folder = MailboxFolder.objects.get(owner=bob)
    assert 'name="last_uid"' not in bobs_client.get(admin_url(MailboxFolder, "change", folder.pk)).content.decode()
    assert bobs_client.post(admin_url(MailboxFolder, "delete", folder.pk), {"post": "yes"}).status_code == 403
    assert bobs_client.get(admin_url(Mailbox, "add")).status_code == 403
    assert refused_by_admin(bobs_client.get(admin_url(Mailbox, "change", alices.pk)))
    assert MailboxFolder.objects.filter(owner=bob).exists() and Mailbox.objects.get(pk=alices.pk).state == "failing"
