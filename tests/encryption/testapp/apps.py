from django.apps import AppConfig


class EncryptionTestAppConfig(AppConfig):
    name = "tests.encryption.testapp"
    label = "encryption_testapp"
    default_auto_field = "django.db.models.BigAutoField"
