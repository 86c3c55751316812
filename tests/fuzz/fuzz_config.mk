FUZZ_SRC_fuzz_config := runc-shim/cfg_json.c runc-shim/config.c runc-shim/config_linux.c \
	runc-shim/config_mounts.c runc-shim/config_process.c runc-shim/config_resources.c runc-shim/config_devices.c runc-shim/config_hooks.c \
	runc-shim/config_seccomp.c
FUZZ_LIBS_fuzz_config := -lcjson -lcap -lseccomp -lm
