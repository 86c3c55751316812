UNIT_SRC_test_service_conf := init/service_conf.c
