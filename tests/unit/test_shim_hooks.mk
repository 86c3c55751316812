UNIT_SRC_test_shim_hooks := $(SHIM_CONFIG_SRC) runc-shim/sysctl.c
UNIT_LIBS_test_shim_hooks := $(SHIM_CONFIG_LIBS)
