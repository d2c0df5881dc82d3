"""Guest pages: public (the guest account checks its own one-time-code session)."""

HTML_ACCESS = {
    "portal:complaints": "<public>",
    "portal:careers": "<public>",
    "portal:service_request": "<public>",
    "portal:login": "<public>",
    "portal:logout": "<public>",
    "portal:orders": "<public>",
    "portal:ticket_reply": "<public>",
    "portal:attachment": "<public>",
}
