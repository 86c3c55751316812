UNIT_SRC_test_backoff := init/backoff.c init/service_conf.c
