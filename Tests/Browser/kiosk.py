"""The kiosk screen in headless Chromium: set up as a terminal with its device key, buy electricity
with a purchase card and two ¥100 notes (its paper receipt printed, with the token, in the print
layout alone), wait idle back to the start, pay a bill by account number typed on the keypad.
Prints the sale's token and serials as JSON."""
import json
import re
import sys
import time

from pages import Page, check, chromium


def main(base, terminal, key, card, account, shots):
    driver = chromium()
    try:
        page = Page(driver, base, shots)
        page.open("/kiosk")
        check(page.find("setup").is_displayed(), "a kiosk not set up asks for its terminal and key")
        page.find("setup-terminal").send_keys(terminal)
        page.find("setup-key").send_keys(key)
        idle = page.find("setup-idle")
        idle.clear()
        idle.send_keys("3")
        page.find("setup-save").click()
        check(page.find("start").is_displayed(), "set up, it shows the start screen")
        page.shot("kiosk-start")

        page.find("buy").click()
        check(page.find("card-screen").is_displayed(), "buying asks for the card")
        page.find("card").send_keys(card + "\n")  # the card reader types the number and Enter
        page.wait_for_text_in("fact-meter", "M")
        check("*" in page.text("who"), f"a public screen masks the name: {page.text('who')}")
        for _ in range(2):
            page.find("confirm")
            driver.find_element("css selector", ".note[data-yuan='100']").click()
        page.wait_for_text("inserted", "¥200.00")
        page.shot("kiosk-cash")
        # The receipt printer: what window.print() would print is kept to be read back.
        driver.execute_script("window.printed = []; window.print = () => window.printed.push("
                              "document.getElementById('print-receipt').textContent.replace(/\\s+/g, ' '))")
        page.find("confirm").click()
        page.wait_for_text_in("done-title", "购电成功")
        token = page.text("token").replace(" ", "")
        check(re.fullmatch(r"\d{20}", token) is not None, f"a 20-digit token: {token}")
        kwh = page.text("kwh")
        sale_serial = page.text("receipt").split()[-1]
        page.shot("kiosk-token")
        printed = driver.execute_script("return window.printed")
        check(len(printed) == 1, f"one receipt printed: {printed}")
        grouped = " ".join(token[i:i + 4] for i in range(0, 20, 4))
        check(grouped in printed[0] and sale_serial in printed[0] and "¥200.00" in printed[0],
              f"the receipt carries the token, the serial and the money: {printed[0]}")
        check(not page.find("print-receipt").is_displayed(), "the receipt is not on the screen")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        check(page.find("print-receipt").is_displayed() and not page.find("done-screen").is_displayed(),
              "on paper, the receipt alone")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        page.find("finish").click()
        check(page.find("start").is_displayed(), "done, back at the start")

        page.find("buy").click()
        time.sleep(4.5)
        check(page.find("start").is_displayed(), "left idle, the screen returns to the start")

        page.find("pay").click()
        for digit in account:
            driver.find_element("css selector", f".key[data-digit='{digit}']").click()
        page.wait_for_text("account-display", account)
        page.find("key-ok").click()
        page.wait_for_text("fact-account", account)
        driver.find_element("css selector", ".note[data-yuan='50']").click()
        page.wait_for_text("inserted", "¥50.00")
        page.find("confirm").click()
        page.wait_for_text_in("done-title", "缴费成功")
        check(page.find("token-box").is_displayed() is False, "a bill payment has no token")
        payment_serial = page.text("receipt").split()[-1]
        print(json.dumps({"token": token, "kwh": kwh, "sale_serial": sale_serial, "payment_serial": payment_serial}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:])
