"""The login page in headless Chromium: Ukrainian for a browser that asks for it, the switch, axe-core clean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import sync_playwright

from app.main import app
from tests.accounts import make_account
from tests.browser import axe, launch, live_server, offline_page

PASSWORD = "correct horse battery"


@pytest.fixture
def server(anonymous: TestClient) -> Iterator[str]:
    make_account("viewer", username="oksana.viewer", password=PASSWORD)
    with live_server(app) as url:
        yield url


@pytest.mark.browser
def test_the_login_page_is_ukrainian_for_a_ukrainian_browser_and_switches_to_english(server: str) -> None:
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            tab = offline_page(browser, server, locale="uk-UA", extra_http_headers={"Accept-Language": "uk-UA,uk"})
            page = tab.page
            page.goto(f"{server}/login?next=/map")
            assert page.locator("html").get_attribute("lang") == "uk"
            assert page.locator("h1").inner_text() == "Інформаційна система протимінної діяльності"
            assert page.get_by_label("Ім’я користувача").is_visible()
            assert page.get_by_role("form", name="Інформаційна система протимінної діяльності").is_visible()
            assert axe(page) == []
            tab.screenshot("login-uk.png")

            page.get_by_label("Ім’я користувача").fill("oksana.viewer")
            page.get_by_label("Пароль").fill("wrong")
            page.get_by_role("button", name="Увійти").click()
            assert page.get_by_role("alert").inner_text() == "Неправильне ім’я користувача або пароль."
            assert axe(page) == []

            # The switch, named in its own language, keeps the page and remembers the choice.
            page.get_by_role("navigation", name="Мова").get_by_role("link", name="English").click()
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.get_by_label("Username").is_visible()
            tab.screenshot("login-en.png")
            page.get_by_label("Username").fill("oksana.viewer")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{server}/map")
            assert page.locator("html").get_attribute("lang") == "en"  # the cookie beats Accept-Language
            assert tab.blocked == []
        finally:
            browser.close()
