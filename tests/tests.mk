# Test tiers (tests/run sums their TAP) and benchmarks.
#
# Unit tests: tests/unit/test_NAME.c is built with the host compiler under
# ASan/UBSan and linked with lib/*.c plus the sources listed in
# tests/unit/test_NAME.mk as "UNIT_SRC_test_NAME := init/foo.c ...".
# Fuzz targets: tests/fuzz/fuzz_NAME.c likewise with FUZZ_SRC_fuzz_NAME.
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/test/unit/%,$(wildcard tests/unit/test_*.c))
FUZZERS    := $(patsubst tests/fuzz/%.c,$(BUILD)/test/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# The whole of runc-shim's config parser, for the tests and fuzzers that link it.
SHIM_CONFIG_SRC := runc-shim/cfg_json.c $(wildcard runc-shim/config*.c)
SHIM_CONFIG_LIBS := -lcjson -lcap -lseccomp -lm
-include $(wildcard tests/unit/*.mk tests/fuzz/*.mk)

.SECONDEXPANSION:
$(BUILD)/test/unit/%: tests/unit/%.c $(LIB_SRC) $$(UNIT_SRC_$$*) $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(HOST_CC) $(HOST_CFLAGS) -Itests/unit $(filter %.c,$^) -o $@ $(UNIT_LIBS_$*)

$(BUILD)/test/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $$(FUZZ_SRC_$$*) $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(HOST_CC) $(HOST_CFLAGS) -Itests/unit -fsanitize=fuzzer $(filter %.c,$^) -o $@ $(FUZZ_LIBS_$*)

.PHONY: unit-bins fuzz-bins
unit-bins: $(UNIT_TESTS)
fuzz-bins: $(FUZZERS)

test: deps all image unit-bins fuzz-bins
	tests/run
test-%: deps all image unit-bins fuzz-bins
	tests/run $*
bench: deps all image
	tests/bench/run
# keel against a LinuxKit-style image booting the same bundles (docs/bench.md).
.PHONY: bench-boot
bench-boot: deps all image
	tests/bench/boot.sh $(BENCH_BOOTS)
