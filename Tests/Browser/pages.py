"""Shared helpers for PayGrid's browser tests: headless Chromium through selenium, a wait for a
page, and screenshots of whole pages."""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


def chromium():
    """Debian's chromium driven by Debian's chromedriver, headless, at a counter's screen size."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(argument)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(0)
    return driver


class Page:
    def __init__(self, driver, base, shots):
        self.driver, self.base, self.shots = driver, base.rstrip("/"), shots

    def sign_in(self, operator, password):
        """Signs in through the form; answers the page the operator lands on."""
        self.open("/ui/signin")
        self.find("operator").send_keys(operator)
        self.find("password").send_keys(password)
        self.submit("signin")
        return self.path()

    def open(self, path):
        self.driver.get(self.base + path)

    def find(self, element_id, timeout=10):
        try:
            return WebDriverWait(self.driver, timeout).until(
                expected_conditions.presence_of_element_located((By.ID, element_id)))
        except Exception:
            body = self.driver.find_element(By.TAG_NAME, "body").text
            check(False, f"no #{element_id} on {self.path()}, which shows:\n{body}")

    def text(self, element_id):
        return self.find(element_id).text.strip()

    def path(self):
        return self.driver.current_url[len(self.base):]

    def wait_for_path(self, prefix, timeout=10):
        try:
            WebDriverWait(self.driver, timeout).until(lambda d: d.current_url.startswith(self.base + prefix))
        except Exception:
            body = self.driver.find_element(By.TAG_NAME, "body").text
            check(False, f"expected {prefix}, still on {self.path()} showing:\n{body}")
        return self.path()

    def submit(self, element_id, timeout=10):
        """Clicks a form's button and waits until the browser has left the page."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.find(element_id).click()
        self.wait_stale(old, timeout)

    def wait_stale(self, old, timeout=10):
        """Waits until `old` (the page's root) is gone; a query caught mid-navigation is asked again."""
        WebDriverWait(self.driver, timeout, ignored_exceptions=[WebDriverException]).until(
            expected_conditions.staleness_of(old))

    # An element read while the page reloads goes stale: it is looked up again, not a failure.
    def wait_for_text(self, element_id, text, timeout=10):
        WebDriverWait(self.driver, timeout, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: d.find_element(By.ID, element_id).text.strip() == text)

    def wait_for_text_in(self, element_id, text, timeout=10):
        WebDriverWait(self.driver, timeout, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: text in d.find_element(By.ID, element_id).text)

    def shot(self, name):
        if self.shots:
            os.makedirs(self.shots, exist_ok=True)
            self.driver.save_screenshot(os.path.join(self.shots, name + ".png"))


def check(condition, what):
    """A failed check names what the page showed, and the test fails."""
    if not condition:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)
