"""Permission-matrix declarations for the accounts pages added after the foundation (the
foundation's own are in tests/test_permission_matrix.py SPECS)."""

PAGE_SPECS = {
    # Not city-specific: the page filters rows by the user's cities (tests/test_audit_trail.py).
    "accounts:audit": [("get", "audit-trail", None)],
}

# Who reads the audit trail: coordinators (city or national) and superusers.
AUDIT_READERS = {"national", "coordinator", "outsider", "stranger", "admin"}


def page_kwargs(name, world, target):
    if name == "accounts:audit":
        return {}
    return None


def expected(kind, role, target):
    if kind != "audit-trail":
        return None
    if role == "anonymous":
        return 302
    return 200 if role in AUDIT_READERS else 403
