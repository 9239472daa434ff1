"""A cashier's day at the counter, in headless Chromium: sign in, find a customer by account with
Enter, type the cash handed over and see the change, pay with F9, print the receipt and the invoice,
void the invoice and reprint it, resync after a paper jam, reverse the payment, count the drawer
and close the shift, sign out. Prints what it did as JSON on its last line for the Swift test to
check the ledger.

    python3 Tests/Browser/cashier_day.py URL OPERATOR PASSWORD ACCOUNT [SCREENSHOT_DIR]
"""
import json
import sys
from decimal import Decimal

from selenium.webdriver.common.keys import Keys

from pages import Page, check, chromium


def main(base, operator, password, account, shots=None):
    driver = chromium()
    page = Page(driver, base, shots)
    try:
        page.open("/")
        page.find("operator").send_keys(operator)
        page.find("password").send_keys(password)
        page.shot("signin")
        page.find("signin").click()
        check(page.wait_for_path("/ui/counter") == "/ui/counter", "signing in opens the counter")
        check(page.text("shift-id") != "", "the counter shows the open shift")

        page.find("search").send_keys(account + Keys.ENTER)
        page.wait_for_path("/ui/counter/customers/")
        check(page.text("account-no") == account, "Enter on the search opens the customer")
        due = Decimal(page.text("amount-due"))
        check(page.find("cash-amount").get_attribute("value") == f"{due:.2f}", "the amount due is proposed")

        tendered = (due // 100 + 1) * 100
        page.find("tendered").send_keys(f"{tendered}")
        change = page.text("change")
        check(change == f"{tendered - due:.2f}", f"the change as the cashier types is {tendered - due}: {change}")
        page.shot("counter-customer")

        page.find("tendered").send_keys(Keys.F9)
        page.wait_for_path("/ui/counter/payments/")
        payment_id = page.text("payment-id")
        check(page.text("paid-amount") == f"{due:.2f}", "the payment page shows the amount")
        check(page.text("paid-change") == f"{tendered - due:.2f}", "and the change")
        page.shot("payment")

        page.find("print-receipt").click()
        driver.switch_to.window(driver.window_handles[-1])
        receipt = driver.find_element("tag name", "body").text
        check("电费收据" in receipt and f"{due:.2f}" in receipt and account in receipt,
              "the receipt names the account and the amount")
        page.shot("receipt")
        driver.close()
        driver.switch_to.window(driver.window_handles[0])

        page.submit("print-invoice")
        first = invoice_numbers(page)[-1]
        check(first == "00000001", f"the invoice is printed on the first form: {first}")
        page.submit("void-invoice")
        page.submit("reprint-invoice")
        check(invoice_numbers(page) == ["00000001", "00000002"], "the reprint uses the next form")
        page.shot("payment-invoice")

        page.open("/ui/counter/invoices")
        code = page.text("next-form").split()[0]
        check(page.text("next-form") == f"{code} 00000003", "the printer should hold form 3")
        page.find("resync-number").send_keys("5")
        page.submit("resync")
        page.wait_for_text("next-form", f"{code} 00000005")
        check(page.text("forms-voided") == "3", "the jam voided forms 3 and 4 besides the spoiled one")
        page.shot("invoices")
        page.open(f"/ui/counter/payments/{payment_id}")

        page.find("reason").send_keys("收错户 wrong account")
        page.find("reverse").click()
        check(page.text("reversed-note") != "", "the payment shows as reversed")
        check(page.find("payment-status").get_attribute("data-status") == "reversed", "its status is reversed")
        check(page.text("payment-status") == "已冲正", "and says so in Chinese")

        page.open("/ui/counter/shift/close")
        expected = Decimal(page.text("count-expected"))
        hundreds = int(expected // 100)
        ones = int(expected - hundreds * 100)
        page.find("pieces_100").send_keys(str(hundreds))
        page.find("pieces_1").send_keys(str(ones))
        page.find("pieces_0.5").send_keys("1")
        check(page.text("count-difference") == "0.50", "the sheet shows the difference as the cashier counts")
        page.find("pieces_0.5").send_keys(Keys.BACKSPACE)
        check(page.text("count-total") == f"{expected:.2f}", "the count adds up the lines")
        page.shot("shift-close")
        page.submit("check-count")
        check(page.text("preview-over-short") == "0.00", "the checked count is neither over nor short")
        page.submit("confirm-close")
        page.wait_for_path("/ui/counter/shifts/")
        check(page.find("shift-state").get_attribute("data-state") == "closed", "the shift is closed")
        shift_id = page.text("shift-view-id")

        page.find("signout").click()
        check(page.wait_for_path("/ui/signin") == "/ui/signin", "signing out returns to the sign-in page")
        page.open("/ui/counter")
        check(page.wait_for_path("/ui/signin") == "/ui/signin", "after signing out the counter is closed")
        print(json.dumps({"payment_id": payment_id, "amount": f"{due:.2f}", "change": f"{tendered - due:.2f}",
                          "shift_id": shift_id, "counted": f"{expected:.2f}"}))
    finally:
        driver.quit()


def invoice_numbers(page):
    """The numbers of the payment's forms, in the order printed."""
    page.find("invoice-forms")
    return [cell.text.strip() for cell in page.driver.find_elements("css selector", "#invoice-forms .invoice-number")]


if __name__ == "__main__":
    main(*sys.argv[1:])
