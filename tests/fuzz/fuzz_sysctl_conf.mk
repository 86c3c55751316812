FUZZ_SRC_fuzz_sysctl_conf := init/sysctl_conf.c init/etc_file.c
