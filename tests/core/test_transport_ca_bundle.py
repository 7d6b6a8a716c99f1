"""The HTTP layer sends through ``Session.send`` directly, which skips requests' look-up of the
environment's CA bundle: ``transport.ca_bundle`` restores it (a machine whose TLS goes through
its own certificate authority failed every request before)."""

from __future__ import annotations

import requests

from benchmeta.core import transport


def test_environment_bundle_used_when_the_session_keeps_the_default(monkeypatch):
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/our-ca.pem")
    s = requests.Session()
    assert transport.ca_bundle(s) == "/etc/ssl/our-ca.pem"
    s.verify = False
    assert transport.ca_bundle(s) is False
    s.verify, s.trust_env = True, False
    assert transport.ca_bundle(s) is True


def test_default_without_environment(monkeypatch):
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    assert transport.ca_bundle(requests.Session()) is True
