UNIT_SRC_test_spawn := init/spawn.c init/signals.c init/loop.c
