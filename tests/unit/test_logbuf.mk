UNIT_SRC_test_logbuf := init/logbuf.c
