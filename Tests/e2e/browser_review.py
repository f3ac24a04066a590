"""The review queue in a real browser (Debian's chromium + chromedriver, Selenium from PyPI), offline.

usage: browser_review.py BASE_URL DB REVIEWER_TOKEN SCREENSHOT.png

Signs in by pasting a token, filters the queue, opens a finding, marks it false positive with a reason, bulk-waives
a filter after its count preview, and checks each decision in the database. A listing titled
<img src=x onerror=alert(1)> whose page holds a <script> must show as text and run nothing. Prints one line per step
and exits non-zero on the first failure.
"""
import os
import sqlite3
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import Select, WebDriverWait

HOSTILE = "<img src=x onerror=alert(1)>"


def browser():
    # Selenium Manager must not try to download a driver: the Debian one is given.
    os.environ["SE_OFFLINE"] = "true"
    os.environ["SE_AVOID_STATS"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def step(name, condition, detail=""):
    if not condition:
        print(f"e2e browser: FAIL {name} {detail}")
        sys.exit(1)
    print(f"e2e browser: ok   {name}")


def wait_for(driver, condition):
    """Waits up to 10 s for a navigation to land; False when it did not."""
    try:
        WebDriverWait(driver, 10).until(lambda d: condition(d))
        return True
    except TimeoutException:
        return False


def no_alert(driver):
    try:
        driver.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def main():
    base, db, token, screenshot = sys.argv[1:5]
    driver = browser()
    try:
        driver.get(base + "/")
        step("an anonymous browser is sent to the sign-in page", "/login" in driver.current_url, driver.current_url)
        driver.find_element(By.ID, "token").send_keys(token)
        driver.find_element(By.ID, "sign-in").click()
        step("signing in with a token opens the queue",
             wait_for(driver, lambda d: "/login" not in d.current_url)
             and driver.find_element(By.ID, "total").text.isdigit())
        cookie = driver.get_cookie("auditor_session")
        step("the session cookie is HttpOnly and SameSite=Strict",
             cookie and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", str(cookie))

        Select(driver.find_element(By.NAME, "severity")).select_by_value("error")
        driver.find_element(By.ID, "apply-filter").click()
        step("the filter form filters the queue", wait_for(driver, lambda d: "severity=error" in d.current_url),
             driver.current_url)
        os.makedirs(os.path.dirname(screenshot) or ".", exist_ok=True)
        driver.get(base + "/")
        driver.save_screenshot(screenshot)
        step("a screenshot of the queue is saved", os.path.getsize(screenshot) > 10_000, screenshot)

        driver.get(base + "/?listing=lx-1005")
        link = driver.find_elements(By.CSS_SELECTOR, "a.finding-link")[0]
        finding_id = link.text
        link.click()
        step("a finding page opens", wait_for(driver, lambda d: finding_id in d.title), driver.title)
        Select(driver.find_element(By.ID, "decision-status")).select_by_value("false_positive")
        driver.find_element(By.ID, "decision-reason").send_keys("品牌名称，不是疗效宣传")
        driver.find_element(By.ID, "decide-button").click()
        step("the decision is shown", wait_for(driver, lambda d: "notice=decided" in d.current_url)
             and driver.find_element(By.ID, "status").text == "false_positive")
        with sqlite3.connect(db) as connection:
            row = connection.execute(
                "SELECT to_status, reason, decided_by FROM decision WHERE fingerprint LIKE ? || '%' "
                "ORDER BY id DESC LIMIT 1", (finding_id,)).fetchone()
        step("the store has the decision", row == ("false_positive", "品牌名称，不是疗效宣传", "rita"), str(row))

        driver.get(base + "/?area=pricing&status=open")
        expected = int(driver.find_element(By.ID, "total").text)
        driver.find_element(By.ID, "bulk-link").click()
        wait_for(driver, lambda d: "/bulk" in d.current_url)
        step("the bulk preview shows the filter's count", driver.find_element(By.ID, "bulk-count").text == str(expected))
        Select(driver.find_element(By.ID, "bulk-status")).select_by_value("waived")
        driver.find_element(By.ID, "bulk-reason").send_keys("促销规则已整改")
        driver.execute_script("document.getElementById('bulk-until').value = '2999-12-31'")
        driver.find_element(By.ID, "bulk-confirm").click()
        step("confirming returns to the filtered queue, now empty",
             wait_for(driver, lambda d: "notice=bulk" in d.current_url)
             and driver.find_element(By.ID, "total").text == "0", driver.current_url)
        with sqlite3.connect(db) as connection:
            waived = connection.execute(
                "SELECT COUNT(DISTINCT finding.fingerprint) FROM finding JOIN finding_status USING (fingerprint) "
                "WHERE finding.area = 'pricing' AND finding_status.status = 'waived'").fetchone()[0]
        step("the store has every waiver", expected > 0 and waived > 0, f"{expected} shown, {waived} waived")

        driver.get(base + "/?listing=xss-1&rule=food_license_missing")
        row_text = driver.find_element(By.CSS_SELECTOR, "table.findings tbody").text
        step("the hostile listing's finding shows", "xss-1" in row_text, row_text)
        driver.find_elements(By.CSS_SELECTOR, "a.finding-link")[0].click()
        wait_for(driver, lambda d: "/findings/" in d.current_url)
        page_text = driver.find_element(By.TAG_NAME, "main").text
        step("its title shows as text", HOSTILE in page_text, page_text[:300])
        step("no image element was made from it", not driver.find_elements(By.CSS_SELECTOR, "main img"))
        step("no alert opened", no_alert(driver))
        step("no script of the page ran", driver.execute_script("return window.__pwned === undefined"))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
