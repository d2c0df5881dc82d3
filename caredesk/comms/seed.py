# ruff: noqa: E501 (email copy reads better unwrapped)
"""The seeded email templates (en, fil) and activity and result codes.

Created by migration 0002 and, when missing, after every migrate/flush (`seed_missing`), so a
fresh database always has them; rows that exist (and may have been edited) are left alone.
"""

LAYOUT = (
    '<div style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;'
    'color:#1d2330;max-width:600px;margin:0 auto">\n'
    '<p style="font-size:18px;font-weight:bold;color:#14213d;margin:0 0 16px">'
    "{{ business.name }}</p>\n"
    "%s\n"
    '<p style="font-size:12px;color:#55607a;border-top:1px solid #d9dde5;padding-top:8px;'
    'margin-top:24px">%s</p>\n</div>'
)
FOOTER = {
    "en": "{{ business.name }} · {{ business.phone }} · Member ID {{ customer.member_id }}",
    "fil": "{{ business.name }} · {{ business.phone }} · Member ID {{ customer.member_id }}",
}

LINES_TEXT = (
    "{% for line in order.lines %}- {{ line.quantity }} x {{ line.name }}: {{ line.amount }}\n"
    "{% endfor %}"
)
LINES_HTML = {
    "en": (
        '<table style="border-collapse:collapse;width:100%;margin:12px 0">'
        '<tr><th align="left" style="border-bottom:1px solid #d9dde5;padding:4px">Item</th>'
        '<th align="right" style="border-bottom:1px solid #d9dde5;padding:4px">Qty</th>'
        '<th align="right" style="border-bottom:1px solid #d9dde5;padding:4px">Amount</th></tr>'
        '{% for line in order.lines %}<tr><td style="padding:4px">{{ line.name }}</td>'
        '<td align="right" style="padding:4px">{{ line.quantity }}</td>'
        '<td align="right" style="padding:4px">{{ line.amount }}</td></tr>{% endfor %}'
        '<tr><td colspan="2" style="padding:4px;font-weight:bold">Total</td>'
        '<td align="right" style="padding:4px;font-weight:bold">{{ order.total }}</td></tr>'
        "</table>"
    ),
    "fil": (
        '<table style="border-collapse:collapse;width:100%;margin:12px 0">'
        '<tr><th align="left" style="border-bottom:1px solid #d9dde5;padding:4px">Item</th>'
        '<th align="right" style="border-bottom:1px solid #d9dde5;padding:4px">Dami</th>'
        '<th align="right" style="border-bottom:1px solid #d9dde5;padding:4px">Halaga</th></tr>'
        '{% for line in order.lines %}<tr><td style="padding:4px">{{ line.name }}</td>'
        '<td align="right" style="padding:4px">{{ line.quantity }}</td>'
        '<td align="right" style="padding:4px">{{ line.amount }}</td></tr>{% endfor %}'
        '<tr><td colspan="2" style="padding:4px;font-weight:bold">Kabuuan</td>'
        '<td align="right" style="padding:4px;font-weight:bold">{{ order.total }}</td></tr>'
        "</table>"
    ),
}
TIMELINE_TEXT = (
    '{% for step in order.timeline %}- {{ step.at|date:"j M Y, g:i A" }}: {{ step.text }}\n'
    "{% endfor %}"
)
TIMELINE_HTML = (
    '<ul style="padding-left:18px">{% for step in order.timeline %}'
    '<li><span style="color:#55607a">{{ step.at|date:"j M Y, g:i A" }}</span> '
    "{{ step.text }}</li>{% endfor %}</ul>"
)
BUTTON = (
    '<p><a href="%s" style="display:inline-block;background:#1f5fbf;color:#ffffff;'
    'padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:bold">%s</a></p>'
)

T = {}

# --- Order confirmation ------------------------------------------------------------------------
T["order_confirmation", "en"] = (
    "Order {{ order.number }} confirmed - {{ business.name }}",
    "Hi {{ customer.first_name }},\n\n"
    "Thank you for your order! We have confirmed order {{ order.number }}"
    '{% if order.date %}, placed on {{ order.date|date:"j F Y" }}{% endif %}'
    "{% if order.branch %} at our {{ order.branch }} branch{% endif %}.\n\n"
    + LINES_TEXT
    + "\nTotal: {{ order.total }}\n"
    '{% if order.expected_return %}Expected ready date: {{ order.expected_return|date:"l, j F Y" }}\n'
    "{% endif %}{% if order.tracking_url %}Follow your order anytime: {{ order.tracking_url }}\n"
    "{% endif %}\n"
    "Questions? Call us at {{ business.phone }} or reply to this email, and mention your "
    "member ID {{ customer.member_id }}.\n\n"
    "Thank you,\n{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>Thank you for your order! We have confirmed order <strong>{{ order.number }}</strong>"
    '{% if order.date %}, placed on {{ order.date|date:"j F Y" }}{% endif %}'
    "{% if order.branch %} at our {{ order.branch }} branch{% endif %}.</p>\n"
    + LINES_HTML["en"]
    + '\n{% if order.expected_return %}<p>Expected ready date: <strong>{{ order.expected_return|date:"l, j F Y" }}</strong></p>{% endif %}\n'
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Follow your order")
    + "{% endif %}\n"
    "<p>Questions? Call us at {{ business.phone }} or reply to this email, and mention your "
    "member ID {{ customer.member_id }}.</p>\n<p>Thank you,<br>{{ business.name }}</p>",
)
T["order_confirmation", "fil"] = (
    "Kumpirmado na ang order {{ order.number }} - {{ business.name }}",
    "Hi {{ customer.first_name }},\n\n"
    "Maraming salamat sa inyong order! Kumpirmado na po ang order {{ order.number }}"
    '{% if order.date %} na ginawa noong {{ order.date|date:"j F Y" }}{% endif %}'
    "{% if order.branch %} sa aming {{ order.branch }} branch{% endif %}.\n\n"
    + LINES_TEXT
    + "\nKabuuan: {{ order.total }}\n"
    '{% if order.expected_return %}Inaasahang handa na sa: {{ order.expected_return|date:"l, j F Y" }}\n'
    "{% endif %}{% if order.tracking_url %}Puwede ninyong silipin ang order anumang oras: "
    "{{ order.tracking_url }}\n{% endif %}\n"
    "May tanong po ba kayo? Tumawag lang sa {{ business.phone }} o i-reply ang email na ito, "
    "at banggitin ang inyong member ID {{ customer.member_id }}.\n\n"
    "Salamat po,\n{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>Maraming salamat sa inyong order! Kumpirmado na po ang order "
    "<strong>{{ order.number }}</strong>"
    '{% if order.date %} na ginawa noong {{ order.date|date:"j F Y" }}{% endif %}'
    "{% if order.branch %} sa aming {{ order.branch }} branch{% endif %}.</p>\n"
    + LINES_HTML["fil"]
    + '\n{% if order.expected_return %}<p>Inaasahang handa na sa: <strong>{{ order.expected_return|date:"l, j F Y" }}</strong></p>{% endif %}\n'
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Silipin ang order")
    + "{% endif %}\n"
    "<p>May tanong po ba kayo? Tumawag lang sa {{ business.phone }} o i-reply ang email na ito, "
    "at banggitin ang inyong member ID {{ customer.member_id }}.</p>\n"
    "<p>Salamat po,<br>{{ business.name }}</p>",
)

# --- Resend confirmation -----------------------------------------------------------------------
T["resend_confirmation", "en"] = (
    "Copy of your order confirmation {{ order.number }}",
    "Hi {{ customer.first_name }},\n\n"
    "As requested, here is your order confirmation for {{ order.number }} again"
    '{% if order.date %} (ordered on {{ order.date|date:"j F Y" }}){% endif %}.\n\n'
    + LINES_TEXT
    + "\nTotal: {{ order.total }}\nCurrent status: {{ order.status }}\n"
    "{% if order.tracking_url %}Follow your order anytime: {{ order.tracking_url }}\n{% endif %}\n"
    "If anything looks wrong, call us at {{ business.phone }} or reply to this email.\n\n"
    "Thank you,\n{% if sender.name %}{{ sender.name }}\n{% endif %}{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>As requested, here is your order confirmation for <strong>{{ order.number }}</strong> again"
    '{% if order.date %} (ordered on {{ order.date|date:"j F Y" }}){% endif %}.</p>\n'
    + LINES_HTML["en"]
    + "\n<p>Current status: <strong>{{ order.status }}</strong></p>\n"
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Follow your order")
    + "{% endif %}\n"
    "<p>If anything looks wrong, call us at {{ business.phone }} or reply to this email.</p>\n"
    "<p>Thank you,<br>{% if sender.name %}{{ sender.name }}<br>{% endif %}{{ business.name }}</p>",
)
T["resend_confirmation", "fil"] = (
    "Kopya ng kumpirmasyon ng order {{ order.number }}",
    "Hi {{ customer.first_name }},\n\n"
    "Gaya ng hiniling ninyo, narito po ulit ang kumpirmasyon ng order {{ order.number }}"
    '{% if order.date %} (in-order noong {{ order.date|date:"j F Y" }}){% endif %}.\n\n'
    + LINES_TEXT
    + "\nKabuuan: {{ order.total }}\nStatus ngayon: {{ order.status }}\n"
    "{% if order.tracking_url %}Puwede ninyong silipin ang order anumang oras: "
    "{{ order.tracking_url }}\n{% endif %}\n"
    "Kung may mali po, tumawag lang sa {{ business.phone }} o i-reply ang email na ito.\n\n"
    "Salamat po,\n{% if sender.name %}{{ sender.name }}\n{% endif %}{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>Gaya ng hiniling ninyo, narito po ulit ang kumpirmasyon ng order "
    "<strong>{{ order.number }}</strong>"
    '{% if order.date %} (in-order noong {{ order.date|date:"j F Y" }}){% endif %}.</p>\n'
    + LINES_HTML["fil"]
    + "\n<p>Status ngayon: <strong>{{ order.status }}</strong></p>\n"
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Silipin ang order")
    + "{% endif %}\n"
    "<p>Kung may mali po, tumawag lang sa {{ business.phone }} o i-reply ang email na ito.</p>\n"
    "<p>Salamat po,<br>{% if sender.name %}{{ sender.name }}<br>{% endif %}{{ business.name }}</p>",
)

# --- Order status update -----------------------------------------------------------------------
T["order_status_update", "en"] = (
    "Order {{ order.number }}: {{ order.status }}",
    "Hi {{ customer.first_name }},\n\n"
    "Your order {{ order.number }} is now: {{ order.status }}.\n"
    "{% if order.status_note %}{{ order.status_note }}\n{% endif %}"
    '{% if order.expected_return %}Expected ready date: {{ order.expected_return|date:"l, j F Y" }}\n'
    "{% endif %}{% if order.tracking_url %}Follow your order: {{ order.tracking_url }}\n{% endif %}\n"
    "Questions? Call us at {{ business.phone }} or reply to this email.\n\n"
    "Thank you,\n{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>Your order <strong>{{ order.number }}</strong> is now: "
    "<strong>{{ order.status }}</strong>.</p>\n"
    "{% if order.status_note %}<p>{{ order.status_note }}</p>{% endif %}\n"
    '{% if order.expected_return %}<p>Expected ready date: <strong>{{ order.expected_return|date:"l, j F Y" }}</strong></p>{% endif %}\n'
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Follow your order")
    + "{% endif %}\n"
    "<p>Questions? Call us at {{ business.phone }} or reply to this email.</p>\n"
    "<p>Thank you,<br>{{ business.name }}</p>",
)
T["order_status_update", "fil"] = (
    "Order {{ order.number }}: {{ order.status }}",
    "Hi {{ customer.first_name }},\n\n"
    "Ang status ng inyong order {{ order.number }} ngayon ay: {{ order.status }}.\n"
    "{% if order.status_note %}{{ order.status_note }}\n{% endif %}"
    '{% if order.expected_return %}Inaasahang handa na sa: {{ order.expected_return|date:"l, j F Y" }}\n'
    "{% endif %}{% if order.tracking_url %}Silipin ang order: {{ order.tracking_url }}\n{% endif %}\n"
    "May tanong po? Tumawag lang sa {{ business.phone }} o i-reply ang email na ito.\n\n"
    "Salamat po,\n{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>Ang status ng inyong order <strong>{{ order.number }}</strong> ngayon ay: "
    "<strong>{{ order.status }}</strong>.</p>\n"
    "{% if order.status_note %}<p>{{ order.status_note }}</p>{% endif %}\n"
    '{% if order.expected_return %}<p>Inaasahang handa na sa: <strong>{{ order.expected_return|date:"l, j F Y" }}</strong></p>{% endif %}\n'
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Silipin ang order")
    + "{% endif %}\n"
    "<p>May tanong po? Tumawag lang sa {{ business.phone }} o i-reply ang email na ito.</p>\n"
    "<p>Salamat po,<br>{{ business.name }}</p>",
)

# --- Send update (status, timeline, expected return) ------------------------------------------
T["send_update", "en"] = (
    "Update on your order {{ order.number }}",
    "Hi {{ customer.first_name }},\n\n"
    "Here is the latest on your order {{ order.number }}.\n\n"
    "Status: {{ order.status }}\n"
    '{% if order.expected_return %}Expected return date: {{ order.expected_return|date:"l, j F Y" }}\n'
    "{% endif %}\nWhat has happened so far:\n" + TIMELINE_TEXT + "\n"
    "{% if order.tracking_url %}Follow your order anytime: {{ order.tracking_url }}\n\n{% endif %}"
    "Questions? Call us at {{ business.phone }} or reply to this email.\n\n"
    "Thank you,\n{% if sender.name %}{{ sender.name }}\n{% endif %}{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>Here is the latest on your order <strong>{{ order.number }}</strong>.</p>\n"
    "<p>Status: <strong>{{ order.status }}</strong>"
    '{% if order.expected_return %}<br>Expected return date: <strong>{{ order.expected_return|date:"l, j F Y" }}</strong>{% endif %}</p>\n'
    "<p>What has happened so far:</p>\n"
    + TIMELINE_HTML
    + "\n"
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Follow your order")
    + "{% endif %}\n"
    "<p>Questions? Call us at {{ business.phone }} or reply to this email.</p>\n"
    "<p>Thank you,<br>{% if sender.name %}{{ sender.name }}<br>{% endif %}{{ business.name }}</p>",
)
T["send_update", "fil"] = (
    "Update sa inyong order {{ order.number }}",
    "Hi {{ customer.first_name }},\n\n"
    "Narito po ang pinakabagong balita tungkol sa inyong order {{ order.number }}.\n\n"
    "Status: {{ order.status }}\n"
    '{% if order.expected_return %}Inaasahang maibabalik sa: {{ order.expected_return|date:"l, j F Y" }}\n'
    "{% endif %}\nAng mga nangyari na:\n" + TIMELINE_TEXT + "\n"
    "{% if order.tracking_url %}Puwede ninyong silipin ang order anumang oras: "
    "{{ order.tracking_url }}\n\n{% endif %}"
    "May tanong po? Tumawag lang sa {{ business.phone }} o i-reply ang email na ito.\n\n"
    "Salamat po,\n{% if sender.name %}{{ sender.name }}\n{% endif %}{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>Narito po ang pinakabagong balita tungkol sa inyong order "
    "<strong>{{ order.number }}</strong>.</p>\n"
    "<p>Status: <strong>{{ order.status }}</strong>"
    '{% if order.expected_return %}<br>Inaasahang maibabalik sa: <strong>{{ order.expected_return|date:"l, j F Y" }}</strong>{% endif %}</p>\n'
    "<p>Ang mga nangyari na:</p>\n"
    + TIMELINE_HTML
    + "\n"
    + "{% if order.tracking_url %}"
    + BUTTON % ("{{ order.tracking_url }}", "Silipin ang order")
    + "{% endif %}\n"
    "<p>May tanong po? Tumawag lang sa {{ business.phone }} o i-reply ang email na ito.</p>\n"
    "<p>Salamat po,<br>{% if sender.name %}{{ sender.name }}<br>{% endif %}{{ business.name }}</p>",
)

# --- Password reset ----------------------------------------------------------------------------
T["password_reset", "en"] = (
    "Reset your {{ business.name }} password",
    "Hi {{ customer.first_name }},\n\n"
    "We received a request to reset the password of your account {{ customer.member_id }}.\n"
    "Open this link to choose a new password:\n\n{{ reset.url }}\n\n"
    "The link works once and expires in {{ reset.expires_hours }} "
    "hour{{ reset.expires_hours|pluralize }}. If you did not ask for this, ignore this email: "
    "your password stays the same.\n\n"
    "For your security, our staff will never ask you for your password.\n\n"
    "{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>We received a request to reset the password of your account "
    "{{ customer.member_id }}.</p>\n"
    + BUTTON
    % ("{{ reset.url }}", "Choose a new password")
    + "\n<p>The link works once and expires in {{ reset.expires_hours }} "
    "hour{{ reset.expires_hours|pluralize }}. If you did not ask for this, ignore this email: "
    "your password stays the same.</p>\n"
    "<p>For your security, our staff will never ask you for your password.</p>",
)
T["password_reset", "fil"] = (
    "I-reset ang inyong password sa {{ business.name }}",
    "Hi {{ customer.first_name }},\n\n"
    "May natanggap kaming request na i-reset ang password ng inyong account "
    "{{ customer.member_id }}.\nBuksan ang link na ito para pumili ng bagong password:\n\n"
    "{{ reset.url }}\n\n"
    "Isang beses lang po magagamit ang link at mag-e-expire ito sa loob ng "
    "{{ reset.expires_hours }} oras. Kung hindi kayo ang nag-request nito, huwag na lang "
    "pansinin ang email na ito: hindi magbabago ang inyong password.\n\n"
    "Para sa inyong seguridad, hinding-hindi hihingin ng aming staff ang inyong password.\n\n"
    "{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n"
    "<p>May natanggap kaming request na i-reset ang password ng inyong account "
    "{{ customer.member_id }}.</p>\n"
    + BUTTON
    % ("{{ reset.url }}", "Pumili ng bagong password")
    + "\n<p>Isang beses lang po magagamit ang link at mag-e-expire ito sa loob ng "
    "{{ reset.expires_hours }} oras. Kung hindi kayo ang nag-request nito, huwag na lang "
    "pansinin ang email na ito: hindi magbabago ang inyong password.</p>\n"
    "<p>Para sa inyong seguridad, hinding-hindi hihingin ng aming staff ang inyong password.</p>",
)

# --- Free text ---------------------------------------------------------------------------------
T["free_text", "en"] = (
    "A message from {{ business.name }}",
    "Hi {{ customer.first_name }},\n\n\n\n"
    "If you have any questions, call us at {{ business.phone }} or simply reply to this email.\n\n"
    "Thank you,\n{% if sender.name %}{{ sender.name }}\n{% endif %}{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n<p></p>\n"
    "<p>If you have any questions, call us at {{ business.phone }} or simply reply to this "
    "email.</p>\n<p>Thank you,<br>{% if sender.name %}{{ sender.name }}<br>{% endif %}"
    "{{ business.name }}</p>",
)
T["free_text", "fil"] = (
    "Mensahe mula sa {{ business.name }}",
    "Hi {{ customer.first_name }},\n\n\n\n"
    "Kung may tanong po kayo, tumawag lang sa {{ business.phone }} o i-reply ang email na ito.\n\n"
    "Salamat po,\n{% if sender.name %}{{ sender.name }}\n{% endif %}{{ business.name }}\n",
    "<p>Hi {{ customer.first_name }},</p>\n<p></p>\n"
    "<p>Kung may tanong po kayo, tumawag lang sa {{ business.phone }} o i-reply ang email na "
    "ito.</p>\n<p>Salamat po,<br>{% if sender.name %}{{ sender.name }}<br>{% endif %}"
    "{{ business.name }}</p>",
)

ACTIVITY_CODES = [
    ("call_in", "Call in"),
    ("call_out", "Call out"),
    ("email", "Email"),
    ("visit", "Showroom visit"),
    ("chat", "Chat"),
    ("sms", "SMS"),
]
RESULT_CODES = [
    ("satisfied", "Satisfied"),
    ("not_satisfied", "Not Satisfied"),
    ("no_answer", "No Answer"),
    ("left_message", "Left Message"),
]


def seed_missing(apps=None) -> None:
    """Create every seeded template and code that does not exist yet."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        EmailTemplate = apps.get_model("comms", "EmailTemplate")
        ActivityCode = apps.get_model("comms", "ActivityCode")
    except LookupError:  # migrating backwards past this app's tables
        return
    for (code, locale), (subject, text, html) in T.items():
        EmailTemplate.objects.get_or_create(
            code=code,
            locale=locale,
            defaults={
                "subject": subject,
                "text_body": text,
                "html_body": LAYOUT % (html, FOOTER[locale]),
            },
        )
    for kind, codes in (("activity", ACTIVITY_CODES), ("result", RESULT_CODES)):
        for position, (code, label) in enumerate(codes):
            ActivityCode.objects.get_or_create(
                kind=kind, code=code, defaults={"label": label, "position": position}
            )


def seed_after_migrate(**kwargs) -> None:
    seed_missing(kwargs.get("apps"))
