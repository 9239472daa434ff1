"""The outlet supervisor's end of day, in headless Chromium: close their own shift with a count,
close the business day once no shift is open, and record the remittance slip of the day's cash.
Prints what it did as JSON on its last line for the Swift test to check the ledger.

    python3 Tests/Browser/supervisor_day.py URL OPERATOR PASSWORD DEPOSIT_REFERENCE [SCREENSHOT_DIR]
"""
import json
import sys
from decimal import Decimal

from pages import Page, check, chromium


def main(base, operator, password, reference, shots=None):
    driver = chromium()
    page = Page(driver, base, shots)
    try:
        page.sign_in(operator, password)
        page.open("/ui/supervisor")
        check(len(driver.find_elements("id", "close-day")) == 0, "the day cannot close while shifts are open")

        page.open("/ui/counter/shift/close")
        expected = Decimal(page.text("count-expected"))
        page.find("pieces_100").send_keys(str(int(expected // 100)))
        page.find("pieces_1").send_keys(str(int(expected % 100)))
        page.submit("check-count")
        check(page.text("preview-over-short") == "0.00", "the supervisor's drawer is exact")
        page.submit("confirm-close")

        page.open("/ui/supervisor")
        day = page.text("open-date")
        check(page.text("no-open-shifts") != "", "no shift is open any more")
        page.shot("supervisor")
        page.submit("close-day")
        check(page.text("remit-date") == day, "closing the day opens its remittance")
        due = page.text("cash-to-remit")
        check(page.find("remit-amount").get_attribute("value") == due, "the cash to remit is proposed")
        page.find("deposit-reference").send_keys(reference)
        page.submit("remit")
        check(page.text("remitted-amount") == due, "the slip shows the amount remitted")
        page.shot("remittance")
        print(json.dumps({"business_date": day, "remitted": due, "remittance_id": page.text("remittance-id")}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:])
