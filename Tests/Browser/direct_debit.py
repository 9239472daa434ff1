"""Direct debit on the demo utility's pages, in headless Chromium: a cashier signs a mandate on the
counter's customer page (a full bank account number is refused first, and never shown back), and
sees it pending; finance makes the bank's run for a collection date on the direct-debit desk and
uploads the bank's pain.002 for it, and the run's page shows what the file applied.
Prints what it did as JSON on its last line for the Swift test to check the ledger.

    python3 Tests/Browser/direct_debit.py URL PASSWORD ACCOUNT BANK COLLECTION_DATE PAIN002 [SCREENSHOT_DIR]
"""
import json
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from pages import Page, check, chromium

FULL_NUMBER = "6222020200001234567"


def sign_at_counter(page, password, account, bank):
    page.sign_in("cashier1", password)
    page.open(f"/ui/counter/customers/{account}")
    check(page.find("no-mandates") is not None, "the customer has no mandate yet")

    def fill(debtor_account):
        Select(page.find("mandate-bank")).select_by_value(bank)
        page.find("mandate-debtor-account").send_keys(debtor_account)
        page.find("mandate-debtor-name").send_keys("户主")
        page.find("mandate-ceiling").send_keys("300.00")
        page.find("mandate-mobile").send_keys("13900000005")
        page.submit("sign-mandate")

    fill(FULL_NUMBER)
    refusal = page.find("refusal")
    check(refusal.get_attribute("data-code") == "mandate_field_invalid",
          f"a full number is refused: {refusal.text}")
    check(FULL_NUMBER not in page.driver.page_source, "the full number is not shown back")
    page.open(f"/ui/counter/customers/{account}")
    fill("622202******1234")
    check(page.path() == f"/ui/counter/customers/{account}", f"signing returns to the customer: {page.path()}")
    rows = page.driver.find_elements(By.CSS_SELECTOR, "#mandates tr[data-state]")
    check(len(rows) == 1, f"the customer has one mandate: {len(rows)}")
    check(rows[0].get_attribute("data-state") == "pending", "a mandate signed at the counter waits for the bank")
    check(rows[0].find_element(By.CLASS_NAME, "debtor-account").text == "622202******1234",
          "the bank account is shown masked as typed")
    page.driver.execute_script("document.getElementById('mandates').scrollIntoView()")
    page.shot("counter-mandate")
    reference = rows[0].get_attribute("id")[len("mandate-"):]
    page.submit("signout")
    return reference


def run_and_upload(page, password, bank, date, pain002):
    page.sign_in("finance1", password)
    page.open("/ui/finance")
    page.find("direct-debit-link").click()
    page.wait_for_path("/ui/finance/direct-debit")
    Select(page.find("run-bank")).select_by_value(bank)
    page.driver.execute_script("document.getElementById('run-date').value = arguments[0]", date)
    page.submit("make-run")
    check(page.path() == f"/ui/finance/direct-debit/runs/{bank}/{date}", f"the run's page opens: {page.path()}")
    count = int(page.text("run-count"))
    check(count > 0, "the run has instructions")
    check(page.text("count-sent") == str(count), "every instruction is sent")
    page.find("results-file").send_keys(pain002)
    page.find("upload-results").click()
    page.wait_for_text("applied-accepted", str(count))
    check(page.text("count-accepted") == str(count), "the run's tallies show the file applied")
    page.shot("debit-run")
    page.open(f"/ui/finance/direct-debit?bank={bank}")
    row = page.find(f"run-DD-{bank}-{date.replace('-', '')}")
    check(row.find_element(By.CSS_SELECTOR, "td[data-state=accepted]").text.startswith(f"{count} / "),
          f"the desk lists the run with its accepted tally: {row.text}")
    page.shot("direct-debit")
    return count


def main(base, password, account, bank, date, pain002, shots=None):
    driver = chromium()
    page = Page(driver, base, shots)
    try:
        reference = sign_at_counter(page, password, account, bank)
        count = run_and_upload(page, password, bank, date, pain002)
        print(json.dumps({"mandate": reference, "run_count": count}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:])
