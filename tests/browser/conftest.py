"""Real headless Chromium (Debian's chromium and chromedriver) against a real `giftwatch serve` process.

Once per session: the bundled samples/ are extracted with the real pipeline into a SQLite file (plus one
hostile record), a token is created, and the server runs on a free port of 127.0.0.1 until the session ends.
Selenium gets the driver's path, so Selenium Manager never downloads anything (SE_OFFLINE as well).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
WEB_ARTICLES = Path(__file__).parent / "data" / "web_articles.jsonl"
HOSTILE_ID = "hostile-choir-gift"


@dataclass
class Server:
    url: str
    db: Path
    token: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"giftwatch serve exited with {process.returncode}: {process.stderr.read()}")
        try:
            with urllib.request.urlopen(url + "/api/stats", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"giftwatch serve did not answer at {url} within {seconds} s")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    from giftwatch.pipeline import extract_articles
    from giftwatch.readers import iter_articles
    from giftwatch.records import Article
    from giftwatch.store import open_store
    from giftwatch.web.queries import WebQueries
    from giftwatch.web.tables import create_token

    db = tmp_path_factory.mktemp("browser") / "samples.db"
    with open_store(db) as store:
        store.add_articles(extract_articles(iter_articles([SAMPLES])))
        hostile = next(json.loads(line) for line in WEB_ARTICLES.read_text("utf-8").splitlines()
                       if json.loads(line)["id"] == HOSTILE_ID)
        store.add_article(Article.from_dict(hostile))
    with WebQueries(str(db)) as q:
        token = create_token(q.conn, "browser tests")[1]
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "giftwatch.web", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield Server(url, db, token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed: the browser tests need Debian's chromium and "
                    "chromium-driver (.ci/install-browser installs them)")
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager fetch a driver or browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture()
def page(browser, server):
    """The browser, signed out, at a desktop size; console messages from earlier tests discarded."""
    browser.set_window_size(1280, 900)
    browser.get(server.url + "/static/icon.svg")
    browser.delete_all_cookies()
    browser.get_log("browser")
    return browser


@pytest.fixture(scope="session")
def screenshots() -> Path | None:
    """Where to save screenshots of the main pages: $GIFTWATCH_SCREENSHOTS (e.g. docs/screenshots), else none."""
    folder = os.environ.get("GIFTWATCH_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder) if Path(folder).is_absolute() else ROOT / folder
    path.mkdir(parents=True, exist_ok=True)
    return path
