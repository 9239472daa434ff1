"""A customer's visit to the online business hall, in headless Chromium at a phone's screen size:
register with a mobile number and the SMS code (read from the SMS outbox, as the phone would show
it), add an account under its holder's name, pay what it owes with Alipay on the provider
simulator's page, come back to see the order posted, the receipt, and the bills paid. Prints what
it did as JSON on its last line for the Swift test to check the ledger.

    python3 Tests/Browser/portal.py URL SMS_OUTBOX ACCOUNT HOLDER [SCREENSHOT_DIR]
"""
import json
import re
import sys
import time

from pages import Page, check, chromium

MOBILE = "13800138000"


def sms_code(outbox):
    """The six digits of the last message the outbox holds for MOBILE."""
    with open(outbox, encoding="utf-8") as messages:
        lines = [line for line in messages if line.startswith(MOBILE + "\t")]
    check(lines, f"an SMS was written to {outbox} for {MOBILE}")
    return re.search(r"\b(\d{6})\b", lines[-1]).group(1)


def main(base, outbox, account, holder, shots=None):
    driver = chromium()
    driver.set_window_size(414, 900)
    page = Page(driver, base, shots)
    try:
        page.open("/portal")
        check(page.wait_for_path("/portal/signin") == "/portal/signin", "a stranger is asked to sign in")
        page.submit("to-register")
        page.find("mobile").send_keys(MOBILE)
        page.submit("send-code")
        page.find("code-sent")
        page.find("code").send_keys(sms_code(outbox))
        page.find("password").send_keys("electric-9")
        page.shot("portal-register")
        page.submit("register")
        check(page.wait_for_path("/portal/accounts") == "/portal/accounts", "registering signs the customer in")
        page.find("no-accounts")

        page.find("account_no").send_keys(account)
        page.find("holder").send_keys(holder + "x")
        page.submit("bind")
        check(page.find("refusal").get_attribute("data-code") == "account_holder_mismatch",
              "another holder's name is refused")
        page.open("/portal/accounts")
        page.find("account_no").send_keys(account)
        page.find("holder").send_keys(holder)
        page.submit("bind")
        check(page.wait_for_path("/portal/accounts/" + account) == "/portal/accounts/" + account,
              "adding the account opens it")
        due = page.text("amount-due").lstrip("¥")
        check(due != "0.00", f"the demo account owes something: {due}")
        check(page.find("amount").get_attribute("value") == due, "the amount due is proposed")
        page.shot("portal-account")

        page.submit("pay")
        order_path = page.wait_for_path("/portal/orders/")
        check(page.find("order-state").get_attribute("data-state") == "created", "the order waits for payment")
        pay_link = page.find("pay-link").get_attribute("href")
        check(not pay_link.startswith(base), f"the pay link leads to the provider: {pay_link}")
        page.shot("portal-order")

        page.submit("pay-link")
        check(driver.current_url == pay_link, "the customer is at the provider's page")
        check(page.text("amount") == due, "the provider asks for the amount due")
        page.submit("pay")
        check(page.text("state") == "支付成功", "the provider took the money")

        page.open(order_path)
        deadline = time.time() + 30
        while page.find("order-state").get_attribute("data-state") != "posted" and time.time() < deadline:
            time.sleep(0.5)
            page.open(order_path)
        check(page.find("order-state").get_attribute("data-state") == "posted", "the notice posted the order")
        page.find("paid")
        page.submit("receipt-link")
        check(page.text("receipt-amount").lstrip("¥") == due, "the receipt shows what was paid")
        check(page.text("receipt-account") == account, "the receipt names the account")
        payment_id = page.text("receipt-payment")
        page.shot("portal-receipt")

        page.open("/portal/accounts/" + account)
        check(page.text("amount-due") == "¥0.00", "nothing is due after paying")
        statuses = [cell.text for cell in driver.find_elements("css selector", "#bills .status")]
        check(statuses and all(status == "已缴清" for status in statuses), f"every bill is paid: {statuses}")
        rows = driver.find_elements("css selector", f"#payments tr[data-payment='{payment_id}']")
        check(len(rows) == 1, "the payment is in the history")
        page.submit("signout")
        check(page.wait_for_path("/portal/signin") == "/portal/signin", "signing out ends the session")
        page.open("/portal/accounts")
        check(page.wait_for_path("/portal/signin") == "/portal/signin", "a signed-out customer sees nothing")
        print(json.dumps({"payment_id": payment_id, "amount": due, "order": order_path.rsplit("/", 1)[-1],
                          "mobile": MOBILE}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:])
