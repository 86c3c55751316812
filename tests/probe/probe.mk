# The static test probe that runc-shim's test bundles carry (tests/probe/probe.c).
PROBE := $(BUILD)/test/probe
$(PROBE): tests/probe/probe.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -Os -static -Wall -Wextra -Werror -D_GNU_SOURCE -isystem $(KHDR) $< -o $@
unit-bins: $(PROBE)
