UNIT_SRC_test_sysctl_conf := init/sysctl_conf.c init/etc_file.c
