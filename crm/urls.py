from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "noghost"
admin.site.site_title = "noghost admin"
admin.site.index_title = "Invitations, clients and follow-ups"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("invitations.urls")),
]
