FUZZ_SRC_fuzz_service_conf := init/service_conf.c
