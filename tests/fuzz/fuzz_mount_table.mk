FUZZ_SRC_fuzz_mount_table := init/mount_table.c init/service_conf.c
