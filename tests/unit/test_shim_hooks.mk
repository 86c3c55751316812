UNIT_SRC_test_shim_hooks := runc-shim/cfg_json.c runc-shim/config.c runc-shim/config_linux.c \
	runc-shim/config_mounts.c runc-shim/config_process.c runc-shim/config_resources.c \
	runc-shim/config_hooks.c runc-shim/config_seccomp.c runc-shim/sysctl.c
UNIT_LIBS_test_shim_hooks := -lcjson -lcap -lseccomp -lm
