UNIT_SRC_test_service := init/service.c init/backoff.c init/service_conf.c
