UNIT_SRC_test_termsafe := init/termsafe.c
