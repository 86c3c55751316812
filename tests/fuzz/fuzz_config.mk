FUZZ_SRC_fuzz_config := $(SHIM_CONFIG_SRC)
FUZZ_LIBS_fuzz_config := $(SHIM_CONFIG_LIBS)
