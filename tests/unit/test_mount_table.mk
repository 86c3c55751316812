UNIT_SRC_test_mount_table := init/mount_table.c init/service_conf.c
