UNIT_SRC_test_diskwork := init/diskwork.c init/loop.c
