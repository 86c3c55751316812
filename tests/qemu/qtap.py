"""TAP lines for the Python QEMU tests: tap(good, desc, why) prints one
`ok`/`not ok` line (with the tail of why as comments when not ok);
qtap.failed is 1 once anything failed."""
failed = 0


def tap(good, desc, why=""):
    global failed
    print(("ok - " if good else "not ok - ") + desc, flush=True)
    if not good:
        failed = 1
        for line in str(why).strip().splitlines()[-12:]:
            print("#   " + line, flush=True)
