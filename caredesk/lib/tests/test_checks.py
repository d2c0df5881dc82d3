from caredesk.lib.checks import Checks


def test_no_check_means_no_reason():
    assert Checks[int]().first_reason(1) is None


def test_the_first_objection_is_the_answer_and_later_checks_are_not_asked():
    asked = []

    def free(n):
        asked.append("free")
        return None

    def held(n):
        asked.append("held")
        return f"order {n} has it"

    def never(n):
        asked.append("never")
        return "not asked"

    checks = Checks[int]()
    for check in (free, held, never):
        checks.register(check)
    assert checks.first_reason(7) == "order 7 has it"
    assert asked == ["free", "held"]


def test_registering_again_changes_nothing():
    calls = []

    def check(n):
        calls.append(n)
        return None

    checks = Checks[int]()
    checks.register(check)
    checks.register(check)
    assert checks.first_reason(3) is None
    assert calls == [3]
