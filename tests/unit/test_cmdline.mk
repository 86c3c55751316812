UNIT_SRC_test_cmdline := init/cmdline.c init/detect.c
