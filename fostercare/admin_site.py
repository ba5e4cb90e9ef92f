"""The Django admin behind the same login as every page: the password form with its
throttling (django-axes), then the second factor (django-otp)."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect, resolve_url
from django.utils.http import urlencode

from fostercare.mfa import mfa_needed


class FostercareAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and not mfa_needed(request.user)

    def login(self, request, extra_context=None):
        # One login page for the whole site, so throttling and MFA cannot be bypassed
        # through the admin's own form.
        next_url = request.GET.get("next") or resolve_url("admin:index")
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
