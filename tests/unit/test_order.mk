UNIT_SRC_test_order := init/order.c init/service_conf.c
