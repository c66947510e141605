"""The base of every intake page in the admin: shown to those with view permission, never
added, changed or deleted there. Patient answers and screening results are not edited in
the admin, by superusers either; the clinician's one write is the review."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
