"""Finance's and the back office's day on the demo utility, in headless Chromium: finance uploads
the bank's statement (with its progress bar), posts the payment PayGrid missed and reverses the one
the bank never collected, uploads the collection account's statement and asks to write off the
credit no slip explains, reads the daily report's chart; a supervisor approves the write-off; the
invoice auditor reads the inventory and a cashier's usage, receives a box and issues a range; the
administrator suspends the demo's agent point and reads the penalty rules.
Prints what it did as JSON on its last line for the Swift test to check the ledger.

    python3 Tests/Browser/finance_day.py URL PASSWORD BANK_STATEMENT DEPOSIT_STATEMENT DATE [SCREENSHOT_DIR]
"""
import json
import sys

from selenium.webdriver.common.by import By

from pages import Page, check, chromium


def upload(page, path, deposits=False, partner="", date=""):
    page.open("/ui/finance")
    if deposits:
        page.find("kind-deposits").click()
    page.find("statement-file").send_keys(path)
    page.find("statement-partner").send_keys(partner)
    if date:
        page.driver.execute_script("document.getElementById('statement-date').value = arguments[0]", date)
    page.find("upload").click()


def open_items(page):
    """The worklist's open items as (id, outcome)."""
    rows = page.driver.find_elements(By.CSS_SELECTOR, "#differences tr.open")
    return [(row.get_attribute("id")[len("item-"):],
             row.find_elements(By.TAG_NAME, "td")[1].get_attribute("data-outcome")) for row in rows]


def main(base, password, bank_statement, deposit_statement, date, shots=None):
    driver = chromium()
    page = Page(driver, base, shots)
    try:
        check(page.sign_in("finance1", password) == "/ui/finance", "finance lands on its desk")
        upload(page, bank_statement, partner="DEMOBANK", date=date)
        page.wait_for_path("/ui/finance/reconciliations/BANK-DEMOBANK/")
        check(page.text("matched") == "20", "twenty lines match")
        items = dict((outcome, item) for item, outcome in open_items(page))
        check(sorted(items) == ["long", "short"], f"one long and one short line are open: {items}")
        page.shot("worklist")
        page.submit("post-" + items["long"])
        page.submit("reverse-" + items["short"])
        check(page.text("worklist-locked") != "", "with both resolved the day is reconciled")
        check(page.text("statement-total") == page.text("recorded-total"), "statement and PayGrid agree")

        upload(page, deposit_statement, deposits=True, date=date)
        page.wait_for_path("/ui/finance/deposits/")
        credits = [item for item, outcome in open_items(page) if outcome == "long"]
        check(len(credits) == 1, f"one credit no slip explains: {credits}")
        page.submit("write-off-" + credits[0])
        check("finance1" in page.text("item-" + credits[0]), "the write-off awaits approval")
        deposit_path = page.path()

        page.open(f"/ui/finance/daily?date={date}")
        bars = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#daily-chart .bar-row")]
        check(any(bar.startswith("bank") for bar in bars) and any(bar.startswith("agent") for bar in bars),
              f"the chart has a bar for the bank and the agent: {bars}")
        check(page.find("daily-csv").get_attribute("href").endswith(f"daily.csv?date={date}&by=channel"),
              "the CSV of the same report can be downloaded")
        page.shot("daily-report")
        page.submit("signout")

        page.sign_in("supervisor1", password)
        page.open("/ui/supervisor")
        approvals = driver.find_elements(By.CSS_SELECTOR, "#approvals button.approve")
        check(len(approvals) == 1, "the supervisor sees the write-off awaiting approval")
        page.shot("approvals")
        old = driver.find_element(By.TAG_NAME, "html")
        approvals[0].click()
        page.wait_stale(old)
        check(page.text("no-approvals") != "", "approved, nothing awaits any more")
        page.open(deposit_path)
        check(page.text("worklist-locked") != "", "the deposit worklist is reconciled")
        check("核销待审批" not in page.text("item-" + credits[0]), "an approved write-off no longer awaits")
        page.submit("signout")

        check(page.sign_in("auditor1", password) == "/ui/auditor", "the auditor lands on the inventory")
        check(page.find("holder-cashier1") is not None, "the inventory lists cashier1's forms")
        in_stock = int(page.text("in-stock"))
        page.find("receive-code").send_keys("144031900333")
        page.find("receive-first").send_keys("1")
        page.find("receive-last").send_keys("100")
        page.submit("receive")
        check(int(page.text("in-stock")) == in_stock + 100, "the box is in stock")
        page.find("issue-code").send_keys("144031900333")
        page.find("issue-first").send_keys("1")
        page.find("issue-last").send_keys("40")
        page.find("issue-holder").send_keys("cashier3")
        page.submit("issue")
        check(int(page.text("in-stock")) == in_stock + 60, "forty forms left the stock")
        unused = page.driver.find_element(By.CSS_SELECTOR, "#holder-cashier3 .unused").text
        page.shot("inventory")
        page.open(f"/ui/auditor/usage?holder=cashier1&date={date}")
        check(page.text("usage-holder") == "cashier1", "the usage of cashier1's forms opens")
        flagged = len(driver.find_elements(By.CSS_SELECTOR, "#usage-differences tr.difference"))
        page.shot("usage")
        page.submit("signout")

        page.sign_in("admin1", password)
        page.open("/ui/admin/operators")
        check(page.text("operator-cashier1") != "", "the administrator sees the operators")
        page.open("/ui/admin/partners")
        check(page.text("partner-STORE01") != "", "the partners list the demo's agent point")
        page.driver.find_element(By.CSS_SELECTOR, "#partner-STORE01 button.suspend").click()
        page.wait_for_text_in("partner-STORE01", "已暂停")
        page.shot("admin-partners")
        page.open("/ui/admin/penalty-rules")
        check(len(driver.find_elements(By.CSS_SELECTOR, ".penalty-rates")) >= 1, "the penalty rules are shown")
        page.shot("admin-penalty-rules")
        print(json.dumps({"deposit_item": credits[0], "bank_long": items["long"], "bank_short": items["short"],
                          "cashier3_unused": int(unused), "usage_differences": flagged}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:])
