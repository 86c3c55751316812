UNIT_SRC_test_shim_config := $(SHIM_CONFIG_SRC) runc-shim/default_spec.c runc-shim/state.c
UNIT_LIBS_test_shim_config := $(SHIM_CONFIG_LIBS)
