"""The privacy hooks of every installed domain app: `caredesk.<app>.privacy` with
`export(customer) -> dict` (section name -> data) and `erase(customer, *, actor)`."""

from types import ModuleType

from caredesk.lib.modules import hook_modules


def privacy_modules() -> list[ModuleType]:
    """Each app's hook module, in app order, the audit log's last (it reads the others)."""
    modules = hook_modules("privacy")
    return sorted(modules, key=lambda module: module.__name__ == "caredesk.audit.privacy")


def export_sections(customer) -> dict:
    """Every app's sections, in app order; two apps naming the same section is an error."""
    sections: dict = {}
    for module in privacy_modules():
        part = module.export(customer)
        clash = set(sections) & set(part)
        if clash:
            raise RuntimeError(f"{module.__name__} redefines export sections {sorted(clash)}")
        sections.update(part)
    return sections


def _erase_order(module: ModuleType) -> int:
    """The customers app's hook goes after the others (they find their copies of the
    customer's values, e.g. the sign-in codes sent to their phone, by reading the customer's
    profile and contact points, which it tombstones), the audit log's last of all."""
    return {"caredesk.customers.privacy": 1, "caredesk.audit.privacy": 2}.get(module.__name__, 0)


def erase_everywhere(customer, *, actor) -> list[str]:
    """Call every app's `erase` (inside the caller's transaction). Returns the apps called."""
    called = []
    for module in sorted(privacy_modules(), key=_erase_order):
        if hasattr(module, "erase"):
            module.erase(customer, actor=actor)
            called.append(module.__name__.split(".")[1])
    return called
