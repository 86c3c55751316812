# keel — build, image, run, test. GNU make. See README.md.
BUILD   := build
BIN     := $(BUILD)/bin
OBJ     := $(BUILD)/obj
.DEFAULT_GOAL := all
include mk/flags.mk
# make V=1 shows the full commands.
Q := $(if $(V),,@)
quiet = $(if $(V),,@printf "  %-6s %s\n" $(1) $(2);)

DEPS_STAMP := $(SYSROOT)/.stamp
LIB_SRC    := $(wildcard lib/*.c)
INIT_SRC   := $(wildcard init/*.c)
SHIM_SRC   := $(wildcard runc-shim/*.c)
obj = $(patsubst %.c,$(OBJ)/%.o,$(1))

.PHONY: all deps image run run-batch test test-% bench fuzz clean distclean check-static
all: $(BIN)/init $(BIN)/keelctl $(BIN)/runc-shim

# Always checks the apt packages (a few dpkg queries); builds libraries once.
deps:
	@sh mk/deps.sh
$(DEPS_STAMP):
	@sh mk/deps.sh

$(OBJ)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Unwind tables come with musl's libc.a and the libraries; a static C
# program without backtraces never reads them (~12 KB each).
STRIP_UNWIND := objcopy -R .eh_frame -R .eh_frame_hdr

$(BIN)/init: $(call obj,$(INIT_SRC) $(LIB_SRC))
	@mkdir -p $(BIN)
	$(call quiet,LD,$@)$(CC) $(LDFLAGS) $^ -o $@
	$(call quiet,STRIP,$@)$(STRIP_UNWIND) $@

# keelctl is init under another name (argv[0] dispatch).
$(BIN)/keelctl: $(BIN)/init
	ln -sf init $@

$(BIN)/runc-shim: $(call obj,$(SHIM_SRC) $(LIB_SRC))
	@mkdir -p $(BIN)
	$(call quiet,LD,$@)$(CC) $(LDFLAGS) $^ -o $@ -lseccomp -lcap -lcjson
	$(call quiet,STRIP,$@)$(STRIP_UNWIND) $@

-include $(patsubst %.c,$(OBJ)/%.d,$(INIT_SRC) $(SHIM_SRC) $(LIB_SRC))

include rootfs/rootfs.mk
include tests/tests.mk
include tests/probe/probe.mk

clean:
	rm -rf $(BIN) $(OBJ) $(BUILD)/image $(BUILD)/test
distclean:
	rm -rf $(BUILD)
