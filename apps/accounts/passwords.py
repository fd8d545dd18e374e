"""Django's password checks with messages of our own, so they read well in Thai and English
(Django's Thai catalogue leaves them untranslated)."""
from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def __init__(self, min_length=12):
        super().__init__(min_length)

    def get_error_message(self):
        return _("This password is too short: use at least %(min_length)d characters.")

    def get_help_text(self):
        return _("Use at least %(min_length)d characters; a few unrelated words make a strong "
                 "password that is easy to remember.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too close to your %(verbose_name)s.")

    def get_help_text(self):
        return _("Do not base it on your name, user name or email address.")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most common ones: choose another.")

    def get_help_text(self):
        return _("Do not use a commonly used password.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is only digits: add letters or words.")

    def get_help_text(self):
        return _("Do not use digits only.")
