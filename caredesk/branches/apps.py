from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "caredesk.branches"
    label = "branches"
    verbose_name = "Branches"
