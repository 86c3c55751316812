UNIT_SRC_test_boottime := init/boottime.c init/ctl_reply.c init/bootchart.c
