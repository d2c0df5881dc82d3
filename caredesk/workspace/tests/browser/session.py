"""Signing in from a browser test: the login form, as a person uses it."""

PASSWORD = "correct-horse-battery"


def sign_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign `username` in at `base` (the live server's URL) and wait for the dashboard."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
