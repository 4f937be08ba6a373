"""The main user paths in real headless Chromium against `giftwatch serve` on the bundled samples: search,
filter the gifts table, open a donor, read an article with its evidence highlighted, add an article, correct a
record. Each test also checks the browser reported no errors (a Content-Security-Policy violation would be one).

GIFTWATCH_SCREENSHOTS=docs/screenshots saves screenshots of the main pages there.
"""
from __future__ import annotations

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BRANDT = "vale-gazette-2025-03-12-brandt-gift"


def _no_console_errors(driver) -> None:
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def _shoot(driver, screenshots, name: str, height: int = 1100) -> None:
    if screenshots is None:
        return
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, height)
    driver.save_screenshot(str(screenshots / f"{name}.png"))


def _texts(driver, selector: str) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, selector)]


def _sign_in(driver, server) -> None:
    driver.get(server.url + "/login?next=%2Fadd")
    driver.find_element(By.ID, "token").send_keys(server.token)
    driver.find_element(By.CSS_SELECTOR, ".login-form button").click()
    WebDriverWait(driver, 10).until(EC.url_to_be(server.url + "/add"))


def test_search_from_the_header_box(page, server, screenshots):
    page.get(server.url + "/")
    _shoot(page, screenshots, "home")
    box = page.find_element(By.ID, "site-q")
    box.send_keys("Brandt", Keys.ENTER)
    WebDriverWait(page, 10).until(EC.title_contains("search"))
    assert any("Brandt" in name for name in _texts(page, "#r-donors + ul a"))
    hits = page.find_elements(By.CSS_SELECTOR, "ul.hits li")
    article = next(hit for hit in hits if "Brandts give $100-million" in hit.text)
    assert all(mark.text.lower() == "brandt" for mark in article.find_elements(By.CSS_SELECTOR, "mark"))
    _shoot(page, screenshots, "search")
    _no_console_errors(page)


def test_filter_sort_and_download_the_gifts_table(page, server, screenshots):
    page.get(server.url + "/gifts")
    every = int(page.find_element(By.ID, "gift-count").text)
    Select(page.find_element(By.ID, "f-kind")).select_by_visible_text("donation")
    page.find_element(By.ID, "f-min").send_keys("1000000")
    page.find_element(By.CSS_SELECTOR, ".filters button[type=submit]").click()
    WebDriverWait(page, 10).until(EC.url_contains("kind=donation"))
    shown = int(page.find_element(By.ID, "gift-count").text)
    assert 0 < shown < every
    assert set(_texts(page, "#gifts-table td[data-label=Kind]")) == {"donation"}
    page.find_element(By.LINK_TEXT, "Amount").click()  # sort by amount, largest first
    WebDriverWait(page, 10).until(EC.url_contains("sort=amount"))
    amounts = [int("".join(ch for ch in text.split("–")[0] if ch.isdigit()))
               for text in _texts(page, "#gifts-table td[data-label=Amount]")]
    assert amounts == sorted(amounts, reverse=True) and min(amounts) >= 1_000_000
    csv_link = page.find_element(By.PARTIAL_LINK_TEXT, "Download CSV").get_attribute("href")
    assert "kind=donation" in csv_link and "min_amount=1000000" in csv_link
    _shoot(page, screenshots, "gifts")
    _no_console_errors(page)


def test_open_a_donor_from_the_home_page(page, server, screenshots):
    page.get(server.url + "/")
    first = page.find_element(By.CSS_SELECTOR, "#top-donors + ol a")
    name = first.text
    first.click()
    WebDriverWait(page, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), name))
    assert page.find_element(By.ID, "total").text.startswith(("$", "€", "£"))
    charts = page.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
    assert len(charts) == 2 and all(c.find_elements(By.CSS_SELECTOR, "rect.chart-bar") for c in charts)
    source = page.find_element(By.CSS_SELECTOR, ".gift-cards li a[href^='/articles/']")
    assert source.text
    _shoot(page, screenshots, "donor")
    _no_console_errors(page)


def test_article_evidence_is_highlighted_and_linked_to_its_record(page, server, screenshots):
    page.get(f"{server.url}/articles/{BRANDT}")
    _shoot(page, screenshots, "article", height=1300)
    gift_marks = page.find_elements(By.CSS_SELECTOR, "mark.hl-gift")
    assert gift_marks and "$100-million" in " ".join(m.text for m in gift_marks)
    card = page.find_element(By.CSS_SELECTOR, ".record.quote")
    quote_text = card.find_element(By.TAG_NAME, "blockquote").text
    ref = card.get_attribute("data-ref")
    card.find_element(By.CSS_SELECTOR, "a.show-in-text").click()
    WebDriverWait(page, 5).until(lambda d: d.switch_to.active_element.get_attribute("id") == f"hl-{ref}")
    assert page.switch_to.active_element.text == quote_text
    # app.js ran (the policy allows our own script): focusing a record lights up its evidence
    page.execute_script("arguments[0].focus()", card)
    assert "active" in page.find_element(By.ID, f"hl-{ref}").get_attribute("class")
    _no_console_errors(page)


def test_hostile_article_text_stays_text(page, server):
    page.get(f"{server.url}/articles/hostile-choir-gift")
    assert page.execute_script("return window.__pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert.text
    assert page.find_element(By.TAG_NAME, "h1").text == "<img src=x onerror=alert(1)> Choir <b>gift</b>"
    assert "<script>window.__pwned = 1</script>" in page.find_element(By.CSS_SELECTOR, ".article-text .text").text
    assert page.find_elements(By.CSS_SELECTOR, "main img, main b, main script") == []
    _no_console_errors(page)


def test_keyboard_users_can_skip_to_the_content(page, server):
    page.get(server.url + "/gifts")
    page.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = page.switch_to.active_element
    assert skip.text == "Skip to main content"
    skip.send_keys(Keys.ENTER)
    WebDriverWait(page, 5).until(lambda d: d.switch_to.active_element.get_attribute("id") == "main")
    assert page.find_element(By.CSS_SELECTOR, "label[for=f-donor]").text == "Donor"


def test_pages_fit_a_phone_screen(page, server, screenshots):
    page.set_window_size(390, 844)
    for path in ("/", "/gifts", f"/articles/{BRANDT}"):
        page.get(server.url + path)
        assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), path
    page.get(server.url + "/gifts")
    page.execute_script("document.getElementById('gift-count').scrollIntoView()")
    _shoot(page, screenshots, "phone-gifts", height=844)


def test_add_an_article_review_it_store_it_and_correct_it(page, server, screenshots):
    _sign_in(page, server)
    page.find_element(By.ID, "add-title").send_keys("Ferryman's widow funds harbour library")
    page.find_element(By.ID, "add-published").send_keys("2025-08-19")
    page.find_element(By.ID, "add-text").send_keys(
        "Widow Ottilie Rasmussen has donated $45,000 to the Saltmarsh Harbour Library to expand its children's "
        "reading room, the library said on Monday.\n\n“Books kept my husband company on every crossing,” "
        "Rasmussen said.")
    page.find_element(By.CSS_SELECTOR, ".add-form > button[type=submit]").click()
    WebDriverWait(page, 60).until(EC.title_contains("Review what was found"))
    assert int(page.find_element(By.ID, "found-gifts").text) >= 1
    assert "Saltmarsh Harbour Library" in page.find_element(By.CSS_SELECTOR, ".records").text
    assert page.find_elements(By.CSS_SELECTOR, ".article-text mark.hl-gift")
    _shoot(page, screenshots, "add-review", height=1200)
    page.find_element(By.ID, "confirm-store").click()
    WebDriverWait(page, 10).until(EC.url_contains("saved=added"))
    card = page.find_element(By.CSS_SELECTOR, ".record.gift")
    assert "$45,000" in card.text
    card.find_element(By.TAG_NAME, "summary").click()
    amount = card.find_element(By.CSS_SELECTOR, "input[name=amount]")
    amount.clear()
    amount.send_keys("54000")
    card.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(page, 10).until(EC.url_contains("saved=g"))
    card = page.find_element(By.CSS_SELECTOR, ".record.gift")
    assert "$54,000" in card.find_element(By.CSS_SELECTOR, ".amount").text
    assert "corrected" in card.find_element(By.CSS_SELECTOR, ".amount").text
    page.get(server.url + "/gifts?recipient=Saltmarsh")
    assert "$54,000" in page.find_element(By.ID, "gifts-table").text
    _no_console_errors(page)
